"""Meetings (methods.meetings): a resident finds a meeting, signs up without an
account or JavaScript, confirms with the emailed link, cancels; when full, the
waiting list is served in order; reminders, moves and cancellations are told
once; personal data goes on time."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_meeting
from wagtail_dialog.daily import run_daily
from wagtail_dialog.methods.meetings import hourly, personal_data, seats
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState
from wagtail_dialog.privacy import retention

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)

SIGN_UP = {"name": "Anna Andersson", "email": "anna@example.se", "people": "1", "needs_interpretation": "",
           "needs_access": "Rullstol", "needs_diet": "", "consent": "on", "website": ""}


@pytest.fixture
def meeting(dialog):
    return make_meeting(dialog, capacity=2, step_free="yes", hearing_loop="no", interpretation_by=(
        timezone.localdate() + datetime.timedelta(days=3)))


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(response):
    return " ".join(soup(response).get_text(" ", strip=True).split())


def link_in(message):
    return re.search(r"https?://\S+/registration/\S+/", message.body).group(0)


def sign_up(client, meeting, **changes):
    # Its email is queued after the commit, which the test's own transaction would put off.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(meeting.url, {**SIGN_UP, **changes})


def test_the_page_states_time_place_and_accessibility_in_words_with_the_seats_left(client, meeting):
    response = client.get(meeting.url)
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    page = text(response)
    assert "Biblioteket" in page and "Storgatan 1, Exempelby" in page
    assert "Entré utan trappsteg Ja" in page and "Hörslinga Nej" in page and "Tillgänglig toalett Vet ej" in page
    assert "2 platser kvar." in page
    form = soup(response).select_one("form[method=post]")
    assert not soup(response).select("script") and form.select_one("input[type=email][name=email]")
    for field in form.select("input[id]"):
        assert form.select_one(f"label[for='{field['id']}']"), field
    # Above the facts, a way straight to the form (on a phone it is screens down), and only while it is there.
    jump = soup(response).select_one("a[href='#wd-sign-up']")
    assert jump.get_text() == "Anmäl dig längre ner" and soup(response).select_one("#wd-sign-up form[method=post]")
    assert str(soup(response)).index("#wd-sign-up") < str(soup(response)).index("Biblioteket")
    meeting.cancelled = True
    meeting.save_revision().publish()
    assert not soup(client.get(meeting.url)).select("a[href='#wd-sign-up']")


def test_a_resident_signs_up_confirms_with_the_emailed_link_and_gets_a_calendar_file(
        client, meeting, django_capture_on_commit_callbacks):
    sent = sign_up(client, meeting)
    assert sent.status_code == 302 and sent["Location"] == meeting.url + "signed-up/#wd-receipt"
    assert "kolla din e-post" in text(client.get(sent["Location"])).lower()
    registration = Registration.objects.get()
    assert registration.state == RegistrationState.PENDING and registration.needs == ["Rullstol"]
    assert registration.held_until == pytest.approx(timezone.now() + HOUR, abs=datetime.timedelta(seconds=30))
    (message,) = mail.outbox
    assert message.to == ["anna@example.se"] and "Bekräfta din plats" in message.subject
    (ics,) = [a for a in message.attachments if a[0] == "meeting.ics"]
    assert ics[2] == "text/calendar"
    link = link_in(message)
    # Opening the link changes nothing (mail programs open links to check them): the button does.
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"] or "private" in page["Cache-Control"]
    registration.refresh_from_db()
    assert registration.state == RegistrationState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link, {"action": "confirm"})
    assert "din plats är bekräftad" in text(confirmed).lower()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CONFIRMED and registration.held_until is None
    assert len(mail.outbox) == 2 and "är bekräftad" in mail.outbox[1].subject


def test_the_calendar_file_parses_with_the_swedish_time_zone(client, meeting):
    response = client.get(meeting.url + "calendar/")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Stockholm" and start == meeting.starts_at
    assert event.decoded("dtend") == meeting.ends_at
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    assert "Storgatan 1" in str(event["location"]) and event["uid"].startswith(f"wagtail-dialog-meeting-{meeting.pk}@")


def test_when_full_later_sign_ups_wait_in_order_and_a_cancellation_offers_the_first(
        client, meeting, django_capture_on_commit_callbacks):
    for name in ("Anna", "Bo", "Cecilia", "David"):
        sign_up(client, meeting, name=name, email=f"{name.lower()}@example.se")
    states = dict(Registration.objects.values_list("name", "state"))
    assert states == {"Anna": "pending", "Bo": "pending", "Cecilia": "waiting", "David": "waiting"}
    assert "väntelistan" in mail.outbox[2].subject and "nummer 1 i kön" in mail.outbox[2].body.replace("\n", " ")
    page = text(client.get(meeting.url))
    assert "Fullt – skriv upp dig på väntelistan" in page
    anna = Registration.objects.get(name="Anna")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(link_for(meeting, anna), {"action": "cancel"})
    assert "avbokad" in text(cancelled)
    states = dict(Registration.objects.values_list("name", "state"))
    assert states == {"Anna": "cancelled", "Bo": "pending", "Cecilia": "offered", "David": "waiting"}
    (offer,) = mail.outbox
    assert offer.to == ["cecilia@example.se"] and "En plats har blivit ledig" in offer.subject
    taken = client.post(link_in(offer), {"action": "confirm"})
    assert "bekräftad" in text(taken)
    assert Registration.objects.get(name="Cecilia").state == RegistrationState.CONFIRMED


def link_for(meeting, registration):
    return f"{meeting.url}registration/{registration.token}/"


def test_a_seat_whose_link_is_never_clicked_goes_to_the_next_in_line_when_its_hour_is_up(
        meeting, django_capture_on_commit_callbacks):
    now = timezone.now()
    first = seats.sign_up(meeting, now=now, name="A", email="a@example.se", people=2)
    waiting = seats.sign_up(meeting, now=now, name="B", email="b@example.se")
    assert (first.state, waiting.state) == ("pending", "waiting")
    assert hourly.pass_on_lapsed_seats(now=now + 59 * datetime.timedelta(minutes=1)).startswith("holds lapsed at 0")
    with django_capture_on_commit_callbacks(execute=True):
        hourly.pass_on_lapsed_seats(now=now + HOUR)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.state == RegistrationState.EXPIRED and waiting.state == RegistrationState.OFFERED
    assert [m.to for m in mail.outbox] == [["b@example.se"]]
    # The lapsed one can still come back: at the end of the line, as the meeting is full.
    assert seats.confirm(first, now=now + 2 * HOUR) == seats.Outcome.WAITING


def test_a_party_first_in_line_is_not_passed_by_a_smaller_one_behind_it(meeting):
    now = timezone.now()
    a = seats.sign_up(meeting, now=now, name="A", email="a@example.se", people=2, confirmed=True)
    party = seats.sign_up(meeting, now=now, name="B", email="b@example.se", people=2)
    single = seats.sign_up(meeting, now=now, name="C", email="c@example.se")
    meeting.capacity = 3
    meeting.save()
    assert seats.refresh(meeting, now) == []
    seats.cancel(a, now)
    assert {r.name: r.state for r in Registration.objects.all()} == {"A": "cancelled", "B": "offered", "C": "offered"}
    assert party.pk and single.pk


def test_a_reminder_is_sent_once_even_when_the_job_runs_twice(meeting):
    now = meeting.starts_at - 25 * HOUR
    registration = seats.sign_up(meeting, now=now, confirmed=True, name="A", email="a@example.se")
    assert registration.state == "confirmed"
    assert hourly.send_reminders(now=now) == "0 meeting reminders sent"
    later = meeting.starts_at - 23 * HOUR
    assert hourly.send_reminders(now=later) == "1 meeting reminders sent"
    assert hourly.send_reminders(now=later) == "0 meeting reminders sent"
    (reminder,) = mail.outbox
    assert reminder.subject.startswith("Påminnelse") and reminder.attachments[0][0] == "meeting.ics"


def test_the_hourly_jobs_run_at_every_run_of_the_command_and_the_daily_ones_once(meeting):
    names = {result.job.name: result.state for result in run_daily()}
    assert names["meetings-reminders"] == "done" and names["meetings-personal-data"] == "done"
    again = {result.job.name: result.state for result in run_daily()}
    assert again["meetings-reminders"] == "done" and again["meetings-personal-data"] == "skipped"


def test_names_contact_details_and_needs_go_the_set_number_of_days_after_the_meeting(meeting):
    registration = seats.sign_up(meeting, confirmed=True, name="A", email="a@example.se", phone="070",
                                 needs_access="Rullstol")
    meeting.personal_data_days = 10
    meeting.save()
    day = meeting.ends_at + datetime.timedelta(days=10)
    personal_data.remove_after_meetings(None, now=day - datetime.timedelta(minutes=1))
    registration.refresh_from_db()
    assert registration.name == "A"
    assert personal_data.remove_after_meetings(None, now=day) == "personal data removed from 1 meeting sign-ups"
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.phone, registration.needs, registration.key) == (
        "", "", "", [], "")
    assert registration.people == 1 and registration.state == "confirmed"


def test_the_dialogs_retention_and_a_persons_request_reach_meeting_sign_ups(dialog, meeting):
    seats.sign_up(meeting, confirmed=True, name="A", email="Anna@Example.se")
    seats.sign_up(meeting, confirmed=True, name="B", email="bo@example.se")
    from wagtail_dialog.methods.meetings.registration import METHOD

    assert METHOD.answers_holding("anna@example.se ") == 1
    assert METHOD.erase_answers("anna@example.se", delete=False) == 1
    assert METHOD.holding_personal_data(dialog) == 1
    assert METHOD.empty_personal_data(dialog) == 1
    assert not Registration.objects.exclude(name="").exists()
    assert retention is not None


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Skriv ditt namn"),
    ({"email": "inte-en-adress"}, "Skriv en e-postadress"),
    ({"people": "9"}, "Mötet har 2 platser totalt"),
    ({"people": "två"}, "siffror"),
    ({"consent": ""}, "Kryssa i rutan"),
    ({"name": "A\u0000B"}, "styrtecknen"),
    ({"needs_access": "x" * 301}, "högst 300 tecken"),
])
def test_bad_input_gets_a_clear_error_and_keeps_what_was_written(client, meeting, changes, message):
    response = sign_up(client, meeting, **changes)
    assert response.status_code == 200 and message in text(response)
    assert not Registration.objects.exists()
    if changes.get("name", "x"):
        assert soup(response).select_one("input[name=email]")["value"] == changes.get("email", SIGN_UP["email"])


def test_no_sign_up_after_the_start_or_when_cancelled(client, dialog):
    started = make_meeting(dialog, slug="started", starts_in=-HOUR)
    assert sign_up(client, started).status_code == 403
    cancelled = make_meeting(dialog, slug="cancelled", cancelled=True, cancellation_note="Flyttas till våren.")
    assert sign_up(client, cancelled).status_code == 403
    assert "Mötet är inställt" in text(client.get(cancelled.url))
    assert not Registration.objects.exists()


def test_a_move_and_a_cancellation_are_told_once_to_everyone_signed_up(meeting, django_capture_on_commit_callbacks):
    def publish():
        with django_capture_on_commit_callbacks(execute=True):
            meeting.save_revision().publish()

    publish()
    seats.sign_up(meeting, confirmed=True, name="A", email="a@example.se")
    seats.sign_up(meeting, name="B", email="b@example.se")
    publish()
    assert mail.outbox == []
    meeting.starts_at += HOUR
    meeting.ends_at += HOUR
    publish()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]
    ics = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert ics.walk("VEVENT")[0]["SEQUENCE"] == 1
    mail.outbox.clear()
    publish()
    assert mail.outbox == []
    meeting.cancelled = True
    publish()
    assert len(mail.outbox) == 2 and "är inställt" in mail.outbox[0].subject


def test_the_dialog_page_lists_the_meeting_with_its_day_and_venue(client, dialog, meeting):
    meeting.save_revision().publish()
    ways = soup(client.get(dialog.url)).select_one("#wd-ways")
    assert "Dialogcafé om parken" in ways.get_text() and "Biblioteket" in ways.get_text()


def test_the_annual_follow_up_counts_those_who_took_part_as_counted_under_the_channel_meeting(dialog):
    from wagtail_dialog.followup.reports import annual_report

    walk = make_meeting(dialog, slug="vandring", starts_in=-2 * HOUR, attendance=23, report_summary="Vi gick.")
    walk.save_revision().publish()
    unreported = make_meeting(dialog, slug="utan-rapport", starts_in=-2 * HOUR)
    unreported.save_revision().publish()
    seats.sign_up(walk, confirmed=True, name="A", email="a@example.se", people=3)
    report = annual_report(dialog.opens_on.year, timezone.localdate())
    assert dict(report.answers_by_channel)["Möte"] == 23 and report.answers == 23


def test_a_meeting_without_a_limit_never_has_a_waiting_list(client, dialog):
    open_house = make_meeting(dialog, slug="oppet-hus", kind="open_house")
    for n in range(12):
        seats.sign_up(open_house, name=f"P{n}", email=f"p{n}@example.se", people=4)
    assert set(Registration.objects.values_list("state", flat=True)) == {"pending"}
    assert seats.seats_left(open_house) is None
    page = text(client.get(open_house.url))
    assert "platser kvar" not in page and "Fullt" not in page and "Anmäl dig" in page


def test_sign_up_elsewhere_or_none_shows_no_form_and_refuses_a_post(client, dialog):
    elsewhere = make_meeting(dialog, slug="annanstans", sign_up="elsewhere", sign_up_link="https://example.se/anmal")
    none = make_meeting(dialog, slug="ingen", sign_up="none")
    assert 'href="https://example.se/anmal"' in client.get(elsewhere.url).content.decode()
    assert "kom som du är" in text(client.get(none.url))
    for meeting in (elsewhere, none):
        assert not soup(client.get(meeting.url)).select("form[method=post]")
        assert sign_up(client, meeting).status_code == 403
    assert not Registration.objects.exists()


def test_the_archive_export_has_a_sheet_of_the_sign_ups_to_each_meeting(dialog, meeting):
    import io

    from openpyxl import load_workbook

    from wagtail_dialog.privacy import archive

    seats.sign_up(meeting, confirmed=True, name="=HYPERLINK(\"x\")", email="a@example.se", needs_diet="Vegetariskt")
    output = io.BytesIO()
    archive.write(dialog, "xlsx", output)
    workbook = load_workbook(io.BytesIO(output.getvalue()))
    assert workbook.sheetnames == ["Synpunkter", "Dialogcafé om parken"]
    rows = [[cell.value for cell in row] for row in workbook["Dialogcafé om parken"].iter_rows()]
    header = rows[0]
    assert len(rows) == 2 and rows[1][header.index("Namn")] == "'=HYPERLINK(\"x\")"
    assert rows[1][header.index("Mat")] == "Vegetariskt" and rows[1][header.index("Läge")] == "Bekräftad"


def test_the_seats_of_a_sites_own_subclass_of_the_meeting_page_are_read_from_the_meetings_table(meeting):
    # A site may subclass the page (multi-table inheritance): its key column is its own
    # table's, and the read under the lock must keep to the meeting's table and key.
    from django.db import transaction
    from django.test.utils import isolate_apps
    from wagtail.models import PAGE_MODEL_CLASSES

    from wagtail_dialog.methods.meetings.pages import MeetingPage

    with isolate_apps("tests.testapp"):
        class LocalMeetingPage(MeetingPage):
            class Meta:
                app_label = "testapp"
    try:
        seats.sign_up(meeting, name="Ann", email="ann@example.se", people=2)
        as_subclass = LocalMeetingPage(pk=meeting.pk)  # the same page, seen as the site's own type
        with transaction.atomic():
            counted = seats._read(as_subclass, timezone.now())
        assert (counted.taken, as_subclass.capacity) == (2, meeting.capacity)
    finally:
        PAGE_MODEL_CLASSES.remove(LocalMeetingPage)
