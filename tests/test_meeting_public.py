"""A meeting's public addresses under hostile input and for every kind of
visitor: nothing but a resident's own sign-up is ever shown to them, text is
escaped wherever it goes, and bad input is refused with a reason and stores
nothing."""

import datetime
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test import TestCase, override_settings

from tests.factories import make_meeting
from wagtail_dialog.compat import DUMMY_TASK_BACKEND, default_task_backend
from wagtail_dialog.contributions.notifications import send_email
from wagtail_dialog.methods.meetings import seats, views
from wagtail_dialog.methods.meetings.seats import Registration

pytestmark = pytest.mark.django_db
SIGN_UP = {"name": "Anna Andersson", "email": "anna@example.se", "people": "1", "needs_interpretation": "",
           "needs_access": "", "needs_diet": "", "consent": "on", "website": ""}


@pytest.fixture
def meeting(dialog):
    meeting = make_meeting(dialog, capacity=5)
    meeting.save_revision().publish()
    return meeting


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True).split())


def own_page(meeting, registration):
    return f"{meeting.url}registration/{registration.token}/"


@pytest.mark.parametrize("changes, message", [
    ({"name": "Anna\nAndersson"}, "på en rad"),
    ({"email": "anna@example.se\r\nBcc: x@example.se"}, "e-postadressen på en rad"),
    ({"people": "-1"}, "minst 1"),
    ({"people": "0"}, "minst 1"),
    ({"people": "1e3"}, "siffror"),
    ({"people": "99999999999999999999"}, "Högst 4 personer"),
    ({"website": "http://spam.example"}, "ska vara tomt"),
    ({"needs_diet": "\ufffd"}, "gick inte att läsa"),
])
def test_hostile_input_is_refused_with_a_reason_and_stores_nothing(client, meeting, changes, message):
    response = client.post(meeting.url, {**SIGN_UP, **changes})
    assert response.status_code == 200 and message in text(response)
    assert not Registration.objects.exists() and mail.outbox == []


def test_markup_in_a_sign_up_is_escaped_on_its_page_and_in_its_email(client, meeting):
    name = '<script>alert("x")</script><b>Anna</b>'
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(meeting.url, {**SIGN_UP, "name": name, "needs_access": "<img src=x onerror=1>"})
    assert sent.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == name
    page = client.get(own_page(meeting, registration))
    assert b"<script>alert" not in page.content and b"<img src=x" not in page.content
    assert "&lt;script&gt;" in page.content.decode()
    (message,) = mail.outbox
    html = message.alternatives[0][0] if hasattr(message.alternatives[0], "__getitem__") else ""
    assert "<script>" not in html and "<img src=x" not in html
    assert "\n" not in message.subject


def test_a_post_from_another_site_stores_nothing(client, meeting):
    response = client.post(meeting.url, SIGN_UP, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403 and "en annan webbplats" in text(response)
    assert not Registration.objects.exists()
    registration = seats.sign_up(meeting, name="A", email="a@example.se")
    response = client.post(own_page(meeting, registration), {"action": "cancel"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.state == "pending"


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=2)
def test_the_rate_limit_holds_for_sign_ups(client, meeting):
    for n in range(2):
        assert client.post(meeting.url, {**SIGN_UP, "email": f"a{n}@example.se"}).status_code == 302
    refused = client.post(meeting.url, {**SIGN_UP, "email": "a9@example.se"})
    assert refused.status_code == 429 and Registration.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_sent_stores_nothing_and_frees_the_seat(client, meeting):
    # Without a worker (the immediate backend) and outside a transaction, as a server runs it:
    # the email is tried at once, and the form says it failed, keeping what was written.
    with mock.patch("wagtail_dialog.methods.meetings.notices.send_email", side_effect=OSError("no mail server")):
        response = client.post(meeting.url, SIGN_UP)
    assert response.status_code == 503 and "inte anmäld" in text(response)
    assert BeautifulSoup(response.content, "html.parser").select_one("input[name=name]")["value"] == "Anna Andersson"
    assert not Registration.objects.exists()
    assert seats.seats_left(meeting) == 5


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_email_goes_after_the_response_and_one_that_fails_undoes_the_sign_up(client, dialog):
    meeting = make_meeting(dialog, capacity=1)
    meeting.save_revision().publish()
    with override_settings(TASKS={"default": {"BACKEND": DUMMY_TASK_BACKEND}}):
        first = client.post(meeting.url, SIGN_UP)
        second = client.post(meeting.url, {**SIGN_UP, "email": "bo@example.se", "name": "Bo"})
        queued = list(default_task_backend.results)
        default_task_backend.clear()
    # Both told to check their email; nothing sent yet.
    assert first.status_code == second.status_code == 302 and mail.outbox == []
    assert second["Location"].endswith("?waiting=1#wd-receipt")
    anna, bo = Registration.objects.order_by("pk")
    assert (anna.state, bo.state) == ("pending", "waiting")
    assert [result.args[0] for result in queued] == [anna.pk, bo.pk]

    def refuse_anna(subject, template, context, to, **kwargs):
        if to == ["anna@example.se"]:
            raise OSError("mailbox unavailable")
        return send_email(subject, template, context, to, **kwargs)

    # The worker cannot send Anna's: her sign-up is undone and Bo is offered the seat.
    with mock.patch("wagtail_dialog.methods.meetings.notices.send_email", side_effect=refuse_anna):
        assert views.send_sign_up_email.call(*queued[0].args) is False
    assert list(Registration.objects.values_list("name", "state")) == [("Bo", "offered")]
    ((offer,),) = [[message for message in mail.outbox if message.to == ["bo@example.se"]]]
    assert "En plats har blivit ledig" in offer.subject
    # Bo's own email comes late: he is no longer waiting, so it says nothing (his offer did); Anna's,
    # tried again, finds no sign-up.
    assert views.send_sign_up_email.call(*queued[1].args) is False
    assert views.send_sign_up_email.call(*queued[0].args) is False and len(mail.outbox) == 1


def test_a_failed_email_never_undoes_a_seat_taken_meanwhile(meeting):
    registration = seats.sign_up(meeting, name="Bo", email="bo@example.se")
    assert seats.confirm(registration) == seats.Outcome.CONFIRMED
    assert not seats.cancel(registration, only_if=tuple(views.SIGN_UP_EMAILS))
    registration.refresh_from_db()
    assert registration.state == "confirmed"
    with mock.patch("wagtail_dialog.methods.meetings.notices.send_email", side_effect=OSError("no mail server")):
        assert views.send_sign_up_email.call(registration.pk, "http://testserver/") is False
    assert Registration.objects.get().state == "confirmed"


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_failed_email_shows_on_the_form_even_when_each_request_is_a_transaction(
        client, meeting):
    atomic = connection.settings_dict["ATOMIC_REQUESTS"]
    connection.settings_dict["ATOMIC_REQUESTS"] = True
    try:
        with mock.patch("wagtail_dialog.methods.meetings.notices.send_email", side_effect=OSError("no mail server")):
            response = client.post(meeting.url, SIGN_UP)
        assert response.status_code == 503 and "inte anmäld" in text(response)
        assert not Registration.objects.exists() and seats.seats_left(meeting) == 5
        assert client.post(meeting.url, SIGN_UP).status_code == 302
        assert Registration.objects.get().state == "pending" and len(mail.outbox) == 1
    finally:
        connection.settings_dict["ATOMIC_REQUESTS"] = atomic


def test_every_public_address_for_every_visitor(client, admin_client, dialog, meeting):
    other = make_meeting(dialog, title="Annat möte", slug="annat")
    other.save_revision().publish()
    mine = seats.sign_up(meeting, name="A", email="a@example.se")
    theirs = seats.sign_up(other, name="B", email="b@example.se")
    for visitor in (client, admin_client):
        for path in ("", "signed-up/", "calendar/", f"registration/{mine.token}/"):
            assert visitor.get(meeting.url + path).status_code == 200, path
        # A token is good only for its own meeting, and only whole.
        for token in (theirs.token, mine.token[:-1], f"{mine.pk}-", "x-y", f"{mine.pk}"):
            assert visitor.get(f"{meeting.url}registration/{token}/").status_code == 404, token
        assert visitor.post(f"{meeting.url}registration/{theirs.token}/", {"action": "cancel"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "pending"
    # A draft meeting is not public; its editor previews it.
    draft = make_meeting(dialog, title="Utkast", slug="utkast")
    draft.unpublish()
    assert client.get(draft.url or f"{dialog.url}utkast/").status_code == 404
    preview = admin_client.get(f"/admin/pages/{draft.pk}/edit/preview/")
    assert preview.status_code in (200, 405)


def test_personal_data_never_reaches_the_public_pages_or_the_calendar(client, meeting):
    seats.sign_up(meeting, name="Hemliga Hanna", email="hanna@example.se", needs_access="Rullstol med ramp", confirmed=True)
    for path in ("", "signed-up/", "calendar/"):
        body = client.get(meeting.url + path).content.decode()
        assert "Hemliga" not in body and "hanna@example.se" not in body and "Rullstol med ramp" not in body


def test_the_dialogs_privacy_page_says_what_signing_up_asks_and_when_it_goes(client, dialog, meeting):
    page = text(client.get(dialog.url + "privacy/"))
    assert "Dialogcafé om parken" in page and "tas bort 30 dagar efter mötet" in page


def test_a_meeting_outside_its_dialogs_dates_or_without_a_place_is_refused_when_published(dialog):
    from wagtail_dialog.methods.meetings.pages import MeetingPageForm

    form_class = MeetingPageForm
    assert form_class is not None
    starts = datetime.datetime.combine(dialog.closes_on + datetime.timedelta(days=3), datetime.time(18),
                                       tzinfo=datetime.timezone.utc)
    from wagtail.admin.panels import get_edit_handler

    from wagtail_dialog.methods.meetings.pages import MeetingPage

    handler = get_edit_handler(MeetingPage)
    form = handler.get_form_class()(
        {"title": "Sent möte", "slug": "sent", "kind": "walk", "meeting_format": "in_person",
         "starts_at": starts.strftime("%Y-%m-%d %H:%M"), "ends_at": starts.strftime("%Y-%m-%d 17:00"),
         "step_free": "unknown", "hearing_loop": "unknown", "accessible_toilet": "unknown", "childcare": "no",
         "sign_up": "elsewhere", "max_party": "4", "reminder_hours": "24", "personal_data_days": "30",
         "languages": "svenska"},
        instance=MeetingPage(), parent_page=dialog, for_user=None)
    assert not form.is_valid()
    assert "stänger" in str(form.errors["starts_at"]) and "efter att det har börjat" in str(form.errors["ends_at"])
    assert "behöver en plats" in str(form.errors["address"]) and "anmäler sig" in str(form.errors["sign_up_link"])
