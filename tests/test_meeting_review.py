"""What a second reading of meetings found, each held by a test: a party
larger than the meeting, lapsed holds counted as taken, a meeting cancelled
and then held after all, links to join for holds that may lapse, changed links
never told, erasure leaving seats taken, an offer that never arrived, addresses
in the logs, calendar UIDs that change with the host, reminders for the old
time, a huge token, cancelling after the meeting, and non-ASCII addresses."""

import datetime
import logging
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_meeting
from wagtail_dialog.methods.meetings import hourly, notices, personal_data, seats
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
SIGN_UP = {"name": "Anna", "email": "anna@example.se", "people": "1", "consent": "on", "website": ""}


@pytest.fixture
def meeting(dialog):
    meeting = make_meeting(dialog, capacity=2)
    meeting.save_revision().publish()
    return meeting


def test_a_party_larger_than_the_meeting_is_refused_and_never_holds_up_the_line(client, meeting):
    response = client.post(meeting.url, {**SIGN_UP, "people": "3"})
    assert "Mötet har 2 platser totalt" in response.content.decode() and not Registration.objects.exists()
    now = timezone.now()
    first = seats.sign_up(meeting, now=now, confirmed=True, name="A", email="a@example.se", people=2)
    too_big = seats.sign_up(meeting, now=now, name="B", email="b@example.se", people=2)
    behind = seats.sign_up(meeting, now=now, name="C", email="c@example.se")
    meeting.capacity = 1
    meeting.save()  # an editor cut the seats: a party of two can never come in
    seats.cancel(first, now)
    assert {r.pk: r.state for r in (too_big, behind) if not r.refresh_from_db()} == {
        too_big.pk: "waiting", behind.pk: "offered"}


def test_a_lapsed_hold_frees_its_seat_at_once_without_waiting_for_the_hourly_job(meeting):
    now = timezone.now()
    seats.sign_up(meeting, now=now, name="A", email="a@example.se", people=2)
    assert seats.seats_left(meeting, now) == 0
    assert seats.seats_left(meeting, now + HOUR) == 2


def test_the_hourly_job_purges_the_page_of_a_meeting_whose_seats_changed(meeting):
    now = timezone.now()
    seats.sign_up(meeting, now=now, name="A", email="a@example.se")
    changed = []
    hourly.pass_on_lapsed_seats(now=now + HOUR, changed=changed.append)
    assert [m.pk for m in changed] == [meeting.pk]


def publish(meeting, capture):
    with capture(execute=True):
        meeting.save_revision().publish()


def test_a_meeting_cancelled_and_then_held_after_all_is_told_both_times(meeting, django_capture_on_commit_callbacks):
    seats.sign_up(meeting, confirmed=True, name="A", email="a@example.se")
    meeting.cancelled = True
    publish(meeting, django_capture_on_commit_callbacks)
    meeting.cancelled = False
    publish(meeting, django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["”Dialogcafé om parken” är inställt",
                                                "”Dialogcafé om parken” blir av ändå"]
    events = [Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0] for m in mail.outbox]
    assert [(str(e["STATUS"]), e["SEQUENCE"]) for e in events] == [("CANCELLED", 1), ("CONFIRMED", 2)]


def test_a_changed_link_to_join_is_told_and_goes_only_to_confirmed_seats(
        client, dialog, django_capture_on_commit_callbacks):
    online = make_meeting(dialog, slug="digitalt", meeting_format="online", online_link="https://meet.example/a",
                          online_link_registered_only=True, capacity=5)
    publish(online, django_capture_on_commit_callbacks)
    pending = seats.sign_up(online, name="P", email="p@example.se")
    confirmed = seats.sign_up(online, confirmed=True, name="C", email="c@example.se")
    page = client.get(f"{online.url}registration/{pending.token}/").content.decode()
    assert "meet.example" not in page
    assert "meet.example/a" in client.get(f"{online.url}registration/{confirmed.token}/").content.decode()
    assert "meet.example" not in client.get(online.url).content.decode()
    online.online_link = "https://meet.example/b"
    publish(online, django_capture_on_commit_callbacks)
    told = {m.to[0]: m.body for m in mail.outbox}
    assert set(told) == {"p@example.se", "c@example.se"}
    assert "meet.example/b" in told["c@example.se"] and "meet.example" not in told["p@example.se"]


def test_erasing_a_person_before_the_meeting_frees_their_seat_for_the_next_in_line(
        meeting, django_capture_on_commit_callbacks):
    seats.sign_up(meeting, confirmed=True, name="A", email="Åsa@Exempel.se", people=2)
    waiting = seats.sign_up(meeting, name="B", email="b@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        assert personal_data.erase_answers("åsa@exempel.se", delete=False) == 1
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.OFFERED and mail.outbox[-1].to == ["b@example.se"]
    erased = Registration.objects.get(name="")
    assert erased.state == RegistrationState.CANCELLED and erased.email == ""


def test_an_offer_that_could_not_be_sent_goes_back_to_its_place_in_line_and_logs_no_address(meeting, caplog):
    now = timezone.now()
    first = seats.sign_up(meeting, now=now, confirmed=True, name="A", email="a@example.se", people=2)
    waiting = seats.sign_up(meeting, now=now, name="B", email="b@example.se")
    refused = smtplib.SMTPRecipientsRefused({"b@example.se": (550, b"no such user")})
    with mock.patch("wagtail_dialog.methods.meetings.notices.send_email", side_effect=refused), \
            caplog.at_level(logging.ERROR):
        offered = seats.cancel(first, now) and seats.refresh(meeting, now)
        assert offered == [] or offered
        notices.tell([Registration.objects.get(pk=waiting.pk)], "offered")
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.WAITING
    assert "b@example.se" not in caplog.text and "SMTPRecipientsRefused" in caplog.text


def test_the_calendar_uid_is_the_sites_whatever_host_the_request_came_by(client, meeting):
    seats.sign_up(meeting, confirmed=True, name="A", email="a@example.se")
    notices.send(Registration.objects.get(), "reminder", meeting)
    by_email = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]["UID"]
    by_page = Calendar.from_ical(client.get(meeting.url + "calendar/", HTTP_HOST="127.0.0.1").content).walk(
        "VEVENT")[0]["UID"]
    assert by_email == by_page == f"wagtail-dialog-meeting-{meeting.pk}@localhost"


def test_a_moved_meeting_is_reminded_of_again(meeting, django_capture_on_commit_callbacks):
    registration = seats.sign_up(meeting, now=meeting.starts_at - 48 * HOUR, confirmed=True, name="A",
                                 email="a@example.se")
    assert hourly.send_reminders(now=meeting.starts_at - 2 * HOUR) == "1 meeting reminders sent"
    meeting.starts_at += 48 * HOUR
    meeting.ends_at += 48 * HOUR
    publish(meeting, django_capture_on_commit_callbacks)
    registration.refresh_from_db()
    assert registration.reminded_at is None
    assert hourly.send_reminders(now=meeting.starts_at - 2 * HOUR) == "1 meeting reminders sent"


def test_a_huge_token_is_a_404_and_a_sign_up_cannot_be_cancelled_after_the_meeting(client, dialog):
    past = make_meeting(dialog, slug="forr", starts_in=-3 * HOUR)
    registration = seats.sign_up(past, now=past.starts_at - 48 * HOUR, confirmed=True, name="A",
                                 email="a@example.se")
    assert client.get(f"{past.url}registration/{'9' * 5000}-x/").status_code == 404
    response = client.post(f"{past.url}registration/{registration.token}/", {"action": "cancel"})
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED
