"""Feedback as a dated promise: late and soon-due feedback in the admin and,
when late, said plainly on the public page."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import make_dialog
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.followup.feedback import FeedbackState, days_late, deadlines, feedback_state

DAY = datetime.timedelta(days=1)


def promise(dialog, due, given=None):
    DialogPage.objects.filter(pk=dialog.pk).update(feedback_due_on=due, feedback_published_on=given)
    return DialogPage.objects.get(pk=dialog.pk)


def panel(page):
    match = re.search(r'<section[^>]*id="wagtail-dialog-feedback-due-section".*?</section>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else None


@override_settings(WAGTAIL_DIALOG_FEEDBACK_SOON_DAYS=7)
def test_a_promise_is_kept_then_due_soon_then_late_until_feedback_is_given(dialog_a):
    due = datetime.date(2026, 3, 1)
    dialog = promise(dialog_a, due)
    assert feedback_state(dialog, due - 8 * DAY) == FeedbackState.PROMISED
    assert feedback_state(dialog, due - 7 * DAY) == FeedbackState.DUE_SOON
    assert feedback_state(dialog, due) == FeedbackState.DUE_SOON
    assert feedback_state(dialog, due + DAY) == FeedbackState.LATE
    assert days_late(dialog, due + 3 * DAY) == 3 and days_late(dialog, due) == 0
    dialog = promise(dialog_a, due, given=due + 5 * DAY)
    assert feedback_state(dialog, due + 4 * DAY) == FeedbackState.LATE
    assert feedback_state(dialog, due + 5 * DAY) == FeedbackState.GIVEN
    assert days_late(dialog, due + 9 * DAY) == 0
    assert feedback_state(promise(dialog_a, None), due) is None


def test_deadlines_lists_late_and_soon_due_earliest_first(dialog_index, dialog_a, dialog_b):
    today = timezone.localdate()
    promise(dialog_a, today + 5 * DAY)
    promise(dialog_b, today - 3 * DAY)
    later = promise(make_dialog(dialog_index, title="Senare", slug="senare"), today + 60 * DAY)
    given = promise(make_dialog(dialog_index, title="Klar", slug="klar"), today - 9 * DAY, given=today - DAY)
    found = list(deadlines(DialogPage.objects.all(), today))
    assert found == [DialogPage.objects.get(pk=dialog_b.pk), DialogPage.objects.get(pk=dialog_a.pk)]
    assert later not in found and given not in found


def test_the_dashboard_lists_promised_feedback_for_those_who_edit_the_dialog(users, login, dialog_a, dialog_b):
    today = timezone.localdate()
    promise(dialog_a, today - 3 * DAY)
    promise(dialog_b, today + 5 * DAY)
    dashboard = login(users["superuser"]).get("/admin/").content.decode()
    text = panel(dashboard)
    assert text is not None and "Promised feedback: late or due soon" in text
    # Late in a warning colour (the package's admin stylesheet), due soon calm.
    assert dashboard.count("wd-late") == 1 and "wagtail_dialog/admin.css" in dashboard
    assert re.search(r"Torget A .* 3 days late .*Parken B .* Due in 5 days", text), text
    # A moderator of dialog A publishes it: A only. The editors edit every dialog below the index.
    text = panel(login(users["moderator_a"]).get("/admin/").content.decode())
    assert "Torget A" in text and "Parken B" not in text
    text = panel(login(users["editor"]).get("/admin/").content.decode())
    assert "Torget A" in text and "Parken B" in text
    page = login(users["superuser"]).get("/admin/").content.decode()
    assert f'href="/admin/pages/{dialog_a.pk}/edit/"' in page


def test_no_feedback_panel_when_nothing_is_due(users, login, dialog_a):
    promise(dialog_a, timezone.localdate() + 60 * DAY)
    assert panel(login(users["superuser"]).get("/admin/").content.decode()) is None


def late_notice(client, dialog):
    page = BeautifulSoup(client.get(dialog.url).content, "html.parser")
    return page.select_one(".wd-notice--late")


def test_the_public_page_says_plainly_when_feedback_is_late(client, dialog_a):
    today = timezone.localdate()
    dialog = promise(dialog_a, today - 3 * DAY)
    notice = late_notice(client, dialog)
    assert notice is not None
    assert notice.h2["id"] == notice["aria-labelledby"]
    text = " ".join(notice.get_text(" ").split())
    assert "3 dagar" in text and str((today - 3 * DAY).year) in text
    # Not before the date, and not once the feedback is given.
    assert late_notice(client, promise(dialog_a, today)) is None
    assert late_notice(client, promise(dialog_a, today - 3 * DAY, given=today)) is None


@pytest.mark.parametrize("days, expected", [(1, "1 dag "), (2, "2 dagar")])
def test_the_late_notice_counts_days_in_swedish(client, dialog_a, days, expected):
    dialog = promise(dialog_a, timezone.localdate() - days * DAY)
    assert expected in " ".join(late_notice(client, dialog).get_text(" ").split()) + " "


REPORT = "/admin/reports/promised-feedback/"


def test_the_report_lists_every_promise_with_where_it_stands(users, login, dialog_index, dialog_a, dialog_b):
    today = timezone.localdate()
    promise(dialog_a, today - 3 * DAY)
    promise(dialog_b, today + 5 * DAY)
    promise(make_dialog(dialog_index, title="Senare", slug="senare"), today + 60 * DAY)
    promise(make_dialog(dialog_index, title="Klar", slug="klar"), today - 9 * DAY, given=today - DAY)
    promise(make_dialog(dialog_index, title="Inget löfte", slug="inget"), None)
    page = BeautifulSoup(login(users["superuser"]).get(REPORT).content, "html.parser")
    rows = [" ".join(row.get_text(" ").split()) for row in page.select("table tbody tr")]
    assert [row.split(" ")[0] for row in rows] == ["Klar", "Torget", "Parken", "Senare"]  # earliest promise first
    assert "Late by 3 days" in rows[1] and "Feedback due soon" in rows[2] and "Feedback promised" in rows[3]
    assert "Feedback given" in rows[0]
    assert page.select_one(f'a[href="/admin/pages/{dialog_a.pk}/edit/"]') is not None
    # Dates as dates, with how far off they are (Wagtail's column said "just now" for days ahead).
    assert f"{date_format(today + 5 * DAY, 'j F Y')}, in 5 days" in rows[2]
    assert f"{date_format(today - 3 * DAY, 'j F Y')}, 3 days ago" in rows[1]
    assert "just now" not in " ".join(rows)


def test_the_report_shows_only_the_dialogs_one_edits_and_no_one_else(users, login, dialog_a, dialog_b):
    today = timezone.localdate()
    promise(dialog_a, today - 3 * DAY)
    promise(dialog_b, today - 3 * DAY)
    text = login(users["moderator_a"]).get(REPORT).content.decode()
    assert "Torget A" in text and "Parken B" not in text
    assert login(users["resident"]).get(REPORT).status_code in (302, 403)
    assert login(None).get(REPORT).status_code == 302
    # In the Reports menu only for those who may see it.
    assert "Promised feedback" in login(users["moderator_a"]).get("/admin/").content.decode()


def test_the_report_exports_to_csv_and_xlsx(users, login, dialog_a):
    promise(dialog_a, timezone.localdate() - 3 * DAY)
    client = login(users["superuser"])
    csv = client.get(REPORT + "?export=csv")
    assert csv.status_code == 200
    content = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Torget A" in content and "Late by 3 days" in content and "Feedback promised by" in content
    xlsx = client.get(REPORT + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_reports_menu_asks_once_per_request_whether_the_user_edits_dialogs(users, dialog_a,
                                                                                django_assert_num_queries):
    from wagtail_dialog.admin.feedback_report import may_see

    user = users["moderator_a"]
    assert may_see(user)
    with django_assert_num_queries(0):
        assert may_see(user)
