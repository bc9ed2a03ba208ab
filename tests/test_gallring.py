"""Gallring under a decision (a fixed clock here): what the end of the
retention period, unsubscribing and a person's request may remove, and what
each records. Removing information from public records is allowed only under
a decision, so: kept (bevaras) removes nothing, a hold pauses it, a site may
require a named decision, the decision is recorded, and the daily job warns
about dialogs whose records are not yet archived."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from wagtail.log_actions import registry as log_registry
from wagtail.models import PageLogEntry

from tests.test_contribution_form import site_settings as site
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME
from tests.test_retention import dated
from wagtail_dialog.contributions import Contribution, notifications
from wagtail_dialog.contributions.history import ContributionLogEntry
from wagtail_dialog.dialogs import gallring
from wagtail_dialog.dialogs.gallring import AfterRetention
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.privacy import requests as personal_data
from wagtail_dialog.privacy import retention
from wagtail_dialog.privacy.notice import notice_for

D = datetime.date
DUE = D(2026, 7, 31)  # six months after closing on 2026-01-31
DECISION = "DHP KS 2025:3, 4.2.1"


def change(dialog, **fields):
    DialogPage.objects.filter(pk=dialog.pk).update(**fields)
    return DialogPage.objects.get(pk=dialog.pk)


@pytest.fixture
def due_dialog(dialog_a):
    dialog = dated(dialog_a, D(2026, 1, 31), months=6)
    Contribution.objects.create(dialog=dialog, text="Fler bänkar.", name=NAME, email=EMAIL, notify=True)
    return dialog


def names_left(dialog):
    return Contribution.objects.filter(dialog=dialog).exclude(name="").count()


def test_kept_at_site_level_removes_nothing_and_a_dialog_may_choose_otherwise(due_dialog):
    site(after_retention=AfterRetention.KEEP)
    assert retention.apply(DUE) == []
    assert names_left(due_dialog) == 1
    assert [(d.pk, reason) for d, _day, reason in retention.held(DUE)] == [(due_dialog.pk, gallring.KEPT)]
    change(due_dialog, after_retention=AfterRetention.ANONYMISE)
    assert [(d.pk, count) for d, count in retention.apply(DUE)] == [(due_dialog.pk, 1)]
    assert names_left(due_dialog) == 0


def test_kept_data_is_what_the_notice_says(due_dialog):
    settings = site(after_retention=AfterRetention.KEEP)
    assert notice_for(due_dialog, settings).retention_months is None
    settings = site(after_retention=AfterRetention.ANONYMISE)
    assert notice_for(due_dialog, settings).retention_months == 6


def test_a_hold_pauses_anonymising_until_it_is_lifted(due_dialog):
    change(due_dialog, gallring_hold=True, gallring_hold_reason="Begäran om allmän handling, dnr KS 2026/88")
    assert retention.apply(DUE) == []
    assert names_left(due_dialog) == 1
    assert [reason for _d, _day, reason in retention.held(DUE)] == [gallring.ON_HOLD]
    change(due_dialog, gallring_hold=False)
    assert [count for _d, count in retention.apply(DUE + datetime.timedelta(days=3))] == [1]


def test_a_site_that_requires_a_decision_anonymises_nothing_without_one(due_dialog, caplog):
    site(require_gallring_decision=True)
    with caplog.at_level(logging.WARNING, logger="wagtail_dialog.privacy.retention"):
        assert retention.apply(DUE) == []
    assert names_left(due_dialog) == 1
    assert any("no_decision" in record.getMessage() for record in caplog.records)
    site(require_gallring_decision=True, gallring_decision=DECISION)
    assert [count for _d, count in retention.apply(DUE)] == [1]
    entry = PageLogEntry.objects.get(page=due_dialog, action=retention.LOG_ACTION)
    assert entry.data["decision"] == DECISION
    # The history shows the decision with the entry.
    assert log_registry.get_formatter(entry).format_comment(entry).endswith(DECISION)


def test_a_dialogs_own_decision_is_the_one_recorded(due_dialog):
    site(require_gallring_decision=True, gallring_decision=DECISION)
    change(due_dialog, gallring_decision="Beslut KS 2026-05-04 § 12")
    retention.apply(DUE)
    assert PageLogEntry.objects.get(page=due_dialog, action=retention.LOG_ACTION).data["decision"] == (
        "Beslut KS 2026-05-04 § 12"
    )


@pytest.fixture
def on_the_due_date(monkeypatch):
    """The commands' clock stopped on the due date."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: DUE)


def test_the_daily_job_warns_a_month_ahead_about_records_not_archived(due_dialog, caplog, on_the_due_date):
    a_month_before = DUE - datetime.timedelta(days=retention.WARN_DAYS)
    assert retention.unarchived_soon(a_month_before - datetime.timedelta(days=1)) == []
    assert [d.pk for d, day in retention.unarchived_soon(a_month_before)] == [due_dialog.pk]
    with caplog.at_level(logging.WARNING, logger="wagtail_dialog.privacy.retention"):
        line = retention.summary(a_month_before)
    assert "anonymised 0 contributions" in line and due_dialog.title in line and "2026-07-31" in line
    assert any("archive export" in record.getMessage() for record in caplog.records)
    out = io.StringIO()
    call_command("apply_dialog_retention", "--dry-run", stdout=out)  # on the due date
    assert "not marked registered or archived" in out.getvalue()
    # Marked archived, with its registry number: no warning any more.
    change(due_dialog, archived_on=D(2026, 6, 1), case_number="KS 2026/101")
    assert retention.unarchived_soon(a_month_before) == []
    out = io.StringIO()
    call_command("apply_dialog_retention", "--dry-run", stdout=out)
    assert "not marked registered or archived" not in out.getvalue()


def test_the_command_names_what_it_leaves_alone_and_why(due_dialog, on_the_due_date):
    change(due_dialog, gallring_hold=True)
    out = io.StringIO()
    call_command("apply_dialog_retention", stdout=out)
    assert f"{due_dialog.title}" in out.getvalue() and "left alone (on_hold)" in out.getvalue()
    assert names_left(due_dialog) == 1


def test_deleting_on_request_needs_a_decision_and_anonymising_is_the_default(due_dialog, users, login):
    from django.urls import reverse

    with pytest.raises(personal_data.DecisionRequired):
        personal_data.erase(EMAIL, None, personal_data.ErasureMode.DELETE)
    assert Contribution.objects.filter(dialog=due_dialog).count() == 1
    client = login(users["superuser"])
    url = reverse("wagtail_dialog_personal_data_erase")
    response = client.post(url, {"email": EMAIL, "note": "", "mode": "delete", "confirm": "1", "decision": " "})
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    assert Contribution.objects.filter(dialog=due_dialog).count() == 1
    assert not personal_data.PersonalDataRequest.objects.exists()
    confirmation = client.post(url, {"email": EMAIL, "note": ""})
    assert confirmation.context["form"]["mode"].value() == personal_data.ErasureMode.ANONYMISE


def test_unsubscribing_removes_the_address_under_the_decision_and_records_it(due_dialog):
    site(gallring_decision=DECISION)
    contribution = Contribution.objects.get(dialog=due_dialog)
    assert notifications.unsubscribe(contribution) is True
    contribution.refresh_from_db()
    assert (contribution.email, contribution.notify) == ("", False)
    entry = ContributionLogEntry.objects.get(object_id=str(contribution.pk), action=notifications.UNSUBSCRIBE_LOG_ACTION)
    assert entry.data == {"address_removed": True, "decision": DECISION}


def test_unsubscribing_without_the_required_decision_stops_the_emails_and_keeps_the_address(due_dialog, client):
    site(require_gallring_decision=True, gallring_decision="")
    contribution = Contribution.objects.get(dialog=due_dialog)
    url = "/" + notifications.unsubscribe_url(contribution, due_dialog).split("://", 1)[1].split("/", 1)[1]
    page = client.post(url).content.decode()
    contribution.refresh_from_db()
    assert (contribution.email, contribution.notify) == (EMAIL, False)
    assert "allmänna handlingen" in page and "har tagits bort" not in page
    # The link again says the same, not that the address is gone.
    assert "allmänna handlingen" in client.get(url).content.decode()
