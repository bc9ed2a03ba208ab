"""Staff and meetings (admin.meetings): who may see a meeting's sign-ups and work
on them, names and needs only for those allowed to see personal data, the
attendance list, exports with formula cells neutralised, signing someone up by
phone, cancelling and confirming on someone's behalf, who came, a message to
everyone, and the views raised entered as contributions with the channel "meeting"."""

import csv
import datetime
import io
import logging

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import PageLogEntry, Site

from tests.factories import make_meeting
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_permissions import make_group, make_user, outcome
from wagtail_dialog.contributions import Channel, ContributionStatus, get_contribution_model
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.methods.meetings import notices, seats
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOSTILE_NAME = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","klicka")'


@pytest.fixture
def meeting_a(dialog_a):
    return make_meeting(dialog_a, capacity=3)


@pytest.fixture
def everyone(users, django_user_model):
    group = make_group("Dialog moderators", perms=["wagtail_dialog.moderate_contribution"])
    return {**users, "dialog_moderator": make_user(django_user_model, "dialogmod", groups=[group])}


def url(name, meeting, *args):
    return reverse(name, args=[meeting.pk, *args])


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(response):
    return " ".join(soup(response).get_text(" ", strip=True).split())


def started(meeting):
    """``meeting`` moved to have started an hour ago."""
    type(meeting).objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    meeting.refresh_from_db()
    return meeting


WHO = ["anonymous", "editor", "moderator_a", "moderator_b", "dialog_moderator", "superuser"]
#: Counts, exports without personal columns, signing up, messages and views raised: every moderator of the dialog.
MANAGE = ["login", "denied", "ok", "denied", "ok", "ok"]
#: One person's sign-up (the attendance list, who came, cancel, confirm): also the personal-data permission.
PERSONAL = ["login", "denied", "ok", "denied", "denied", "ok"]

GETS = {
    "sign-ups": ("wagtail_dialog_meeting", "", MANAGE),
    "attendance list": ("wagtail_dialog_meeting_attendance_list", "", PERSONAL),
    "csv": ("wagtail_dialog_meeting_export", "?format=csv", MANAGE),
    "xlsx": ("wagtail_dialog_meeting_export", "?format=xlsx", MANAGE),
    "sign someone up": ("wagtail_dialog_meeting_register", "", MANAGE),
    "who came": ("wagtail_dialog_meeting_attended", "", PERSONAL),
    "message": ("wagtail_dialog_meeting_message", "", MANAGE),
}


@pytest.mark.parametrize("view", GETS)
def test_permission_matrix_over_every_meeting_admin_page(view, everyone, login, meeting_a):
    name, query, expected = GETS[view]
    got = [outcome(login(everyone[who]).get(url(name, meeting_a) + query)) for who in WHO]
    assert got == expected, dict(zip(WHO, got))


PHONE_SIGN_UP = {"name": "Bo Berg", "email": "", "phone": "070-123 45 67", "people": "2", "needs_interpretation": "",
                 "needs_access": "", "needs_diet": "", "channel": "phone", "consent": "on"}


def posts(meeting):
    """Every form the meeting's admin takes, each with a valid POST: (url, data)."""
    registration = seats.sign_up(meeting, name="Ada", email="ada@example.se")
    return {
        "view raised": (url("wagtail_dialog_meeting", meeting), {"text": "Fler bänkar i parken."}),
        "sign someone up": (url("wagtail_dialog_meeting_register", meeting), PHONE_SIGN_UP),
        "confirm": (url("wagtail_dialog_meeting_registration", meeting, registration.pk, "confirm"), {}),
        "cancel": (url("wagtail_dialog_meeting_registration", meeting, registration.pk, "cancel"), {}),
        "who came": (url("wagtail_dialog_meeting_attended", meeting), {"attended": [registration.pk]}),
        "message": (url("wagtail_dialog_meeting_message", meeting), {"subject": "Ändrad lokal", "message": "Hej!"}),
    }


POSTS = {"view raised": MANAGE, "sign someone up": MANAGE, "confirm": PERSONAL, "cancel": PERSONAL,
         "who came": PERSONAL, "message": MANAGE}


@pytest.mark.parametrize("form", POSTS)
def test_permission_matrix_over_every_meeting_admin_form(form, everyone, login, meeting_a):
    got = []
    for who in WHO:
        target, data = posts(meeting_a)[form]
        if form == "who came":
            started(meeting_a)
        got.append(outcome(login(everyone[who]).post(target, data)))
    assert got == POSTS[form], dict(zip(WHO, got))


def test_the_meetings_listing_is_for_moderators_and_shows_each_only_their_own(everyone, login, meeting_a, dialog_b):
    make_meeting(dialog_b, title="Vandring i parken B", slug="vandring-b")
    index = reverse("wagtail_dialog_meetings")
    assert [outcome(login(everyone[who]).get(index)) for who in WHO] == ["login", "denied", "ok", "ok", "ok", "ok"]
    titles = [a.get_text(strip=True) for a in soup(login(everyone["moderator_a"]).get(index)).select("tbody th a")]
    assert titles == ["Dialogcafé om parken"]
    assert len(soup(login(everyone["superuser"]).get(index)).select("tbody tr")) == 2
    # The Reports menu offers it to moderators only.
    assert "dialog-meetings" in login(everyone["moderator_a"]).get("/admin/").content.decode()
    assert "/admin/dialog-meetings/" not in login(everyone["editor"]).get("/admin/pages/").content.decode()


def test_the_listing_puts_coming_meetings_first_with_seats_waiting_and_late_reports(everyone, login, dialog_a):
    soon = make_meeting(dialog_a, title="Snart", slug="snart", capacity=2, starts_in=2 * DAY)
    make_meeting(dialog_a, title="Senare", slug="senare", starts_in=20 * DAY)
    make_meeting(dialog_a, title="Förra månaden", slug="forra", starts_in=-30 * DAY)
    make_meeting(dialog_a, title="I förrgår", slug="forrgar", starts_in=-2 * DAY)
    make_meeting(dialog_a, title="Med rapport", slug="rapport", starts_in=-40 * DAY, report_summary="Vi pratade.")
    seats.sign_up(soon, confirmed=True, name="A", people=2)
    seats.sign_up(soon, name="B", people=1)
    page = soup(login(everyone["moderator_a"]).get(reverse("wagtail_dialog_meetings")))
    upcoming, held = page.select("table")
    assert [th.get_text(strip=True) for th in upcoming.select("tbody th")] == ["Snart", "Senare"]
    assert [th.get_text(strip=True) for th in held.select("tbody th")] == ["I förrgår", "Förra månaden", "Med rapport"]
    first = [td.get_text(" ", strip=True) for td in upcoming.select("tbody tr")[0].select("td")]
    assert first[2:4] == ["2 of 2", "1"]
    late = [row for row in held.select("tbody tr") if row.select_one(".wd-late")]
    assert [row.th.get_text(strip=True) for row in late] == ["Förra månaden"]
    assert "Published" in held.get_text()


def test_a_meeting_page_in_the_explorer_links_to_its_sign_ups(everyone, login, meeting_a):
    link = url("wagtail_dialog_meeting", meeting_a)
    edit = reverse("wagtailadmin_pages:edit", args=[meeting_a.pk])
    assert link in login(everyone["superuser"]).get(edit).content.decode()
    assert link in login(everyone["superuser"]).get(
        reverse("wagtailadmin_explore", args=[meeting_a.get_parent().pk])).content.decode()


def test_counts_at_the_top_and_names_needs_and_contacts_only_for_those_allowed(everyone, login, meeting_a):
    seats.sign_up(meeting_a, confirmed=True, name=HOSTILE_NAME, email="anna@example.se", people=2,
                  needs_access="Rullstol")
    seats.sign_up(meeting_a, name="Bosse Bengtsson", email="bo@example.se", people=1)
    seats.sign_up(meeting_a, name="Cia Ceder", email="cia@example.se", people=2)
    page = login(everyone["moderator_a"]).get(url("wagtail_dialog_meeting", meeting_a))
    html, words = page.content.decode(), text(page)
    assert "Seats held: 3 of 3" in words
    counts = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
              for row in soup(page).select("#wd-counts ~ table tbody tr")}
    assert counts["Confirmed"] == ["1", "2"] and counts["Waiting for the email link"] == ["1", "1"]
    assert counts["On the waiting list"] == ["1", "2"] and counts["Came"] == ["0", "0"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "anna@example.se" in html and "Rullstol" in html
    # Each header names its column or row for a screen reader.
    table = soup(page).select_one("#wd-registrations table")
    assert all(th.get("scope") in ("col", "row") for th in table.select("th"))

    hidden = login(everyone["dialog_moderator"]).get(url("wagtail_dialog_meeting", meeting_a))
    assert "Seats held: 3 of 3" in text(hidden)
    for personal in ("alert(1)", "anna@example.se", "Rullstol", "Bosse", "Cia Ceder"):
        assert personal not in hidden.content.decode(), personal
    assert "Hidden" in text(hidden)
    # The states filter the table.
    waiting = soup(login(everyone["moderator_a"]).get(url("wagtail_dialog_meeting", meeting_a) + "?state=waiting"))
    assert [th.get_text(strip=True) for th in waiting.select("#wd-registrations tbody th")] == ["Cia Ceder"]


def test_the_attendance_list_prints_names_people_needs_and_a_box_to_tick(everyone, login, meeting_a):
    seats.sign_up(meeting_a, confirmed=True, name="Anna", people=2, needs_diet="Glutenfri", phone="070")
    seats.sign_up(meeting_a, confirmed=True, name="Bo", people=1)
    seats.sign_up(meeting_a, name="Cia", people=2)  # waits: not on the list
    page = soup(login(everyone["moderator_a"]).get(url("wagtail_dialog_meeting_attendance_list", meeting_a)))
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in page.select("tbody tr")]
    assert rows == [["", "Anna", "2", "Glutenfri"], ["", "Bo", "1", ""]]
    assert len(page.select("tbody .wd-tick-box")) == 2
    assert page.select_one("link[href$='report.css']") and page.html["lang"] == "en"


def export_rows(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_exports_neutralise_formulas_and_have_personal_columns_only_for_those_allowed(everyone, login, meeting_a):
    seats.sign_up(meeting_a, confirmed=True, name=FORMULA, email="anna@example.se", people=1,
                  needs_access="@SUM(A1:A9)", channel=Channel.PHONE)
    export = url("wagtail_dialog_meeting_export", meeting_a)
    header, row = export_rows(login(everyone["moderator_a"]).get(export + "?format=csv"))
    cells = dict(zip(header, row))
    assert cells["Name"] == "'" + FORMULA and cells["Access"] == "'@SUM(A1:A9)"
    assert cells["State"] == "Confirmed" and cells["Channel"] == "Phone" and cells["Number of people"] == "1"
    assert cells["Email"] == "anna@example.se"
    header, row = export_rows(login(everyone["dialog_moderator"]).get(export + "?format=csv"))
    assert not {"Name", "Email", "Phone", "Access", "Food", "Interpretation"} & set(header)
    assert not any("anna" in cell or "HYPERLINK" in cell for cell in row)
    sheet = load_workbook(io.BytesIO(b"".join(login(everyone["moderator_a"]).get(
        export + "?format=xlsx").streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][values[0].index("Name")] == "'" + FORMULA
    assert login(everyone["moderator_a"]).get(export + "?format=pdf").status_code == 404


def test_staff_sign_up_someone_by_phone_confirmed_at_once_and_emailed_when_they_give_an_address(
        everyone, login, meeting_a):
    staff = login(everyone["moderator_a"])
    register = url("wagtail_dialog_meeting_register", meeting_a)
    form = soup(staff.get(register))
    assert not form.select("input[name=website]")
    assert form.select_one("select[name=channel] option[selected]")["value"] == "phone"
    # Filled in for someone else: the form speaks of them, never to "you".
    words = form.select_one("form[method=post]").get_text(" ")
    assert "Name" in words and "helps them take part" in words and "they would like interpreted" in words
    assert not {"you", "your", "yourself"} & set(words.lower().replace(",", " ").replace(".", " ").split())
    assert staff.post(register, PHONE_SIGN_UP)["Location"] == url("wagtail_dialog_meeting", meeting_a)
    by_phone = Registration.objects.get()
    assert (by_phone.state, by_phone.people, by_phone.channel, by_phone.entered_by) == (
        RegistrationState.CONFIRMED, 2, "phone", everyone["moderator_a"])
    assert mail.outbox == []  # no address, no email
    staff.post(register, {**PHONE_SIGN_UP, "name": "Cia", "email": "cia@example.se", "people": "1"})
    (message,) = mail.outbox
    assert message.to == ["cia@example.se"] and "är bekräftad" in message.subject
    assert any(name == "meeting.ics" for name, *_rest in message.attachments)
    # Full: the next one waits, and is told so.
    staff.post(register, {**PHONE_SIGN_UP, "name": "Dan", "email": "dan@example.se", "people": "1"})
    assert Registration.objects.get(name="Dan").state == RegistrationState.WAITING
    assert "väntelistan" in mail.outbox[-1].subject


@pytest.mark.parametrize(("changes", "field"), [
    ({"email": "", "phone": ""}, "phone"),
    ({"name": "A" * 201}, "name"),
    ({"name": "Anna\r\nBcc: x@example.se"}, "name"),
    ({"phone": "070<script>"}, "phone"),
    ({"people": "99"}, "people"),
    ({"needs_access": "x" * 301}, "needs_access"),
    ({"channel": "web"}, "channel"),
])
def test_a_bad_staff_sign_up_is_refused_with_the_field_named(changes, field, everyone, login, meeting_a):
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_meeting_register", meeting_a),
                                                   {**PHONE_SIGN_UP, **changes})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Registration.objects.exists()


def test_no_one_is_signed_up_to_a_cancelled_meeting(everyone, login, dialog_a):
    cancelled = make_meeting(dialog_a, cancelled=True)
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_meeting_register", cancelled), PHONE_SIGN_UP)
    assert response.status_code == 302 and not Registration.objects.exists()


def test_staff_cancel_for_someone_and_the_seat_goes_to_the_first_in_line(
        everyone, login, meeting_a, django_capture_on_commit_callbacks):
    first = seats.sign_up(meeting_a, confirmed=True, name="A", email="a@example.se", people=3)
    waiting = seats.sign_up(meeting_a, name="B", email="b@example.se", people=1)
    staff = login(everyone["moderator_a"])
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url("wagtail_dialog_meeting_registration", meeting_a, first.pk, "cancel"))
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.state == RegistrationState.CANCELLED and waiting.state == RegistrationState.OFFERED
    assert [m.to for m in mail.outbox] == [["b@example.se"]]
    # Confirmed on their behalf (they phoned): told by email.
    staff.post(url("wagtail_dialog_meeting_registration", meeting_a, waiting.pk, "confirm"))
    waiting.refresh_from_db()
    assert waiting.state == RegistrationState.CONFIRMED and "är bekräftad" in mail.outbox[-1].subject
    # A GET changes nothing.
    assert staff.get(url("wagtail_dialog_meeting_registration", meeting_a, waiting.pk, "cancel")).status_code == 405


def test_a_sign_up_of_another_meeting_posted_to_this_meetings_forms_is_not_found(
        everyone, login, meeting_a, dialog_a):
    other = make_meeting(dialog_a, title="Annat möte", slug="annat", capacity=5)
    theirs = seats.sign_up(other, confirmed=True, name="Annan", email="annan@example.se")
    staff = login(everyone["moderator_a"])
    for action in ("cancel", "confirm"):
        assert staff.post(url("wagtail_dialog_meeting_registration", meeting_a, theirs.pk, action)).status_code == 404
    started(meeting_a)
    staff.post(url("wagtail_dialog_meeting_attended", meeting_a), {"attended": [theirs.pk, "x", "9" * 40]})
    theirs.refresh_from_db()
    assert theirs.state == RegistrationState.CONFIRMED and not theirs.attended
    # An id too long for the database is no server error.
    assert staff.get(f"/admin/dialog-meetings/{'9' * 30}/").status_code == 404


def test_who_came_is_marked_once_the_meeting_has_started(everyone, login, meeting_a):
    anna = seats.sign_up(meeting_a, confirmed=True, name="Anna", people=2)
    bo = seats.sign_up(meeting_a, confirmed=True, name="Bo", people=1)
    staff = login(everyone["moderator_a"])
    attended = url("wagtail_dialog_meeting_attended", meeting_a)
    assert staff.post(attended, {"attended": [anna.pk]}).status_code == 400
    anna.refresh_from_db()
    assert not anna.attended
    started(meeting_a)
    form = soup(staff.get(attended))
    assert all(form.select_one(f"label[for='{box['id']}']") for box in form.select("input[type=checkbox]"))
    staff.post(attended, {"attended": [anna.pk]})
    assert list(Registration.objects.filter(attended=True)) == [anna]
    staff.post(attended, {"attended": [bo.pk]})
    assert list(Registration.objects.filter(attended=True)) == [bo]
    assert "Came" in text(staff.get(url("wagtail_dialog_meeting", meeting_a)))


def test_a_message_to_everyone_goes_after_the_commit_says_how_many_and_logs_nothing_personal(
        everyone, login, meeting_a, django_capture_on_commit_callbacks, caplog):
    seats.sign_up(meeting_a, confirmed=True, name="A", email="a@example.se", people=2)
    seats.sign_up(meeting_a, name="B", email="b@example.se", people=1)
    seats.sign_up(meeting_a, name="C", email="c@example.se", people=1)  # waiting: told too
    seats.sign_up(meeting_a, confirmed=False, name="D", phone="070", people=1)  # no address
    cancelled = seats.sign_up(meeting_a, name="E", email="e@example.se", people=1)
    seats.cancel(cancelled)
    staff = login(everyone["moderator_a"])
    message = url("wagtail_dialog_meeting_message", meeting_a)
    assert "goes to 3 people" in text(staff.get(message))
    body = "Vi byter lokal.\n<script>alert(1)</script>"
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = staff.post(message, {"subject": "Ny lokal <b>", "message": body}, follow=True)
    assert len(callbacks) == 1 and "on its way to 3 people" in text(sent)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se", "c@example.se"]
    email = mail.outbox[0]
    assert email.subject == "Ny lokal <b>" and "<script>alert(1)</script>" in email.body
    html = email.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Vi byter lokal" not in caplog.text and "@example.se" not in caplog.text
    # The meeting's history says who sent which message to how many, but not its text.
    (entry,) = PageLogEntry.objects.filter(page=meeting_a, action=notices.MESSAGE_LOG_ACTION)
    assert (entry.user, entry.data) == (everyone["moderator_a"], {"subject": "Ny lokal <b>", "recipients": 3})
    with translation.override("en"):
        assert entry.message == "Message to everyone signed up: “Ny lokal <b>” (3 people)"
    editor = login(everyone["superuser"])
    history = editor.get(reverse("wagtailadmin_pages:history", args=[meeting_a.pk])).content.decode()
    assert "Ny lokal &lt;b&gt;" in history and "Vi byter lokal" not in history


@pytest.mark.parametrize("data", [
    {"subject": "Hej\r\nBcc: all@example.se", "message": "Hej"},
    {"subject": "x" * 151, "message": "Hej"},
    {"subject": "Hej", "message": "x" * 5001},
    {"subject": "", "message": "Hej"},
    {"subject": "Hej", "message": "Noll\x00tecken"},
])
def test_a_bad_message_is_refused_and_nothing_is_sent(data, everyone, login, meeting_a,
                                                      django_capture_on_commit_callbacks):
    seats.sign_up(meeting_a, confirmed=True, name="A", email="a@example.se")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(everyone["moderator_a"]).post(url("wagtail_dialog_meeting_message", meeting_a), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert callbacks == [] and mail.outbox == []
    assert not PageLogEntry.objects.filter(action=notices.MESSAGE_LOG_ACTION).exists()


def test_a_view_raised_becomes_a_contribution_with_the_channel_meeting_in_the_inbox(everyone, login, meeting_a):
    staff = login(everyone["moderator_a"])
    screen = url("wagtail_dialog_meeting", meeting_a)
    assert not soup(staff.get(screen)).select("select[name=area]")  # the site has no areas
    sent = staff.post(screen, {"text": "Fler bänkar <b>i skuggan</b>."})
    assert sent.status_code == 302 and sent["Location"].endswith("#wd-views")
    contribution = get_contribution_model().objects.get()
    assert (contribution.dialog_id, contribution.channel, contribution.status, contribution.registered_by) == (
        meeting_a.get_parent().pk, Channel.MEETING, ContributionStatus.PENDING, everyone["moderator_a"])
    assert contribution.submitted_at == meeting_a.starts_at and contribution.text == "Fler bänkar <b>i skuggan</b>."
    assert contribution.name == "" and contribution.email == ""
    # Too long for the dialog: refused, the text kept.
    too_long = staff.post(screen, {"text": "x" * (meeting_a.dialog.contribution_max_length + 1)})
    assert too_long.status_code == 200 and too_long.context["view_form"].errors
    assert get_contribution_model().objects.count() == 1


def test_a_view_raised_takes_an_area_when_the_site_has_areas(everyone, login, meeting_a):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.areas = "Centrum\nNorra byn"
    settings.save()
    staff = login(everyone["moderator_a"])
    screen = url("wagtail_dialog_meeting", meeting_a)
    assert [o["value"] for o in soup(staff.get(screen)).select("select[name=area] option")] == ["", "Centrum",
                                                                                                 "Norra byn"]
    assert staff.post(screen, {"text": "Belysning", "area": "Södra"}).status_code == 200
    staff.post(screen, {"text": "Belysning", "area": "Norra byn"})
    assert get_contribution_model().objects.get().area == "Norra byn"


def test_the_screen_links_to_the_report_tab_of_the_page_editor_for_those_who_may_edit_it(
        everyone, login, meeting_a):
    page = soup(login(everyone["superuser"]).get(url("wagtail_dialog_meeting", meeting_a)))
    link = page.select_one("#wd-report ~ p a")["href"]
    edit = reverse("wagtailadmin_pages:edit", args=[meeting_a.pk])
    assert link.startswith(edit + "#tab-")
    editor = soup(login(everyone["superuser"]).get(edit))
    assert editor.select_one(link.removeprefix(edit)).select_one("[name=report_summary]")
    # A moderator who may publish the dialog but not edit its pages is not sent to "permission denied".
    page = soup(login(everyone["moderator_a"]).get(url("wagtail_dialog_meeting", meeting_a)))
    assert not page.select("#wd-report ~ p a") and "Ask an editor" in page.get_text()


def late_panel(response):
    section = soup(response).select_one("#wagtail-dialog-feedback-due-section")
    return section and " ".join(section.get_text(" ", strip=True).split()), section


def test_the_dashboard_lists_meetings_whose_report_is_late_to_those_who_manage_them(
        everyone, login, dialog_a, dialog_b):
    make_meeting(dialog_a, title="Sen rapport A", slug="sen-a", starts_in=-10 * DAY)
    make_meeting(dialog_b, title="Sen rapport B", slug="sen-b", starts_in=-10 * DAY)
    make_meeting(dialog_a, title="Nyss hållet", slug="nyss", starts_in=-5 * DAY)
    make_meeting(dialog_a, title="Med rapport", slug="klar", starts_in=-30 * DAY, report_summary="Vi pratade.")
    make_meeting(dialog_a, title="Inställt", slug="installt", starts_in=-30 * DAY, cancelled=True)
    words, section = late_panel(login(everyone["moderator_a"]).get("/admin/"))
    assert "Sen rapport A" in words and "Late: due" in words
    for absent in ("Sen rapport B", "Nyss hållet", "Med rapport", "Inställt"):
        assert absent not in words, absent
    # moderator_a may publish the dialog but not edit its pages: the link leads to the sign-ups, not to "denied".
    links = [a["href"] for a in section.select("a")]
    assert any(link.startswith("/admin/dialog-meetings/") for link in links)
    words, section = late_panel(login(everyone["superuser"]).get("/admin/"))
    assert "Sen rapport A" in words and "Sen rapport B" in words
    assert any("/edit/#tab-" in a["href"] for a in section.select("a"))
    assert late_panel(login(everyone["editor"]).get("/admin/"))[0] is None


def test_no_late_meeting_and_no_late_feedback_means_no_panel(everyone, login, dialog_a):
    make_meeting(dialog_a, title="Nyss hållet", slug="nyss", starts_in=-5 * DAY)
    assert late_panel(login(everyone["superuser"]).get("/admin/"))[0] is None
