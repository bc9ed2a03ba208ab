"""Privacy over time: after a dialog's retention date (a fixed clock here), no
personal data remains for it in the database, the exports or the search."""

import datetime
import io

import pytest
from django.core.management import call_command
from wagtail.models import PageLogEntry, Site

from tests.test_export import csv_rows, export
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME, inbox_url
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.privacy import retention

D = datetime.date


@pytest.mark.parametrize("day, months, expected", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2026, 11, 15), 2, D(2027, 1, 15)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2026, 3, 1), 24, D(2028, 3, 1)),
])
def test_months_are_calendar_months(day, months, expected):
    assert retention.add_months(day, months) == expected


def dated(dialog, closes_on, feedback_on=None, months=None):
    DialogPage.objects.filter(pk=dialog.pk).update(
        feedback_due_on=None,
        opens_on=closes_on - datetime.timedelta(days=30), closes_on=closes_on,
        feedback_published_on=feedback_on, participation_effect="Det påverkade beslutet." if feedback_on else "",
        retention_months=months,
    )
    return DialogPage.objects.get(pk=dialog.pk)


def test_the_period_runs_from_the_later_of_closing_and_feedback(dialog_a):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.retention_months == 24  # the default
    assert retention.retention_date(dated(dialog_a, D(2026, 1, 31), D(2026, 3, 15))) == D(2028, 3, 15)
    assert retention.retention_date(dated(dialog_a, D(2026, 1, 31))) == D(2028, 1, 31)
    assert retention.retention_date(dated(dialog_a, D(2026, 1, 31), D(2026, 3, 15), months=6)) == D(2026, 9, 15)
    # Feedback promised but not given yet keeps the addresses until its date at least.
    dialog = dated(dialog_a, D(2026, 1, 31), months=6)
    DialogPage.objects.filter(pk=dialog.pk).update(feedback_due_on=D(2026, 12, 1))
    assert retention.retention_date(DialogPage.objects.get(pk=dialog.pk)) == D(2027, 6, 1)
    DialogPage.objects.filter(pk=dialog_a.pk).update(
        opens_on=None, closes_on=None, feedback_published_on=None, feedback_due_on=None
    )
    assert retention.retention_date(DialogPage.objects.get(pk=dialog_a.pk)) is None


@pytest.fixture
def kept(dialog_a, dialog_b):
    a = dated(dialog_a, D(2026, 1, 31), months=6)  # anonymised from 2026-07-31
    b = dated(dialog_b, D(2026, 1, 31))  # the site's 24 months: 2028-01-31
    rows = {
        "a": Contribution.objects.create(
            dialog=a, text="Fler bänkar på torget.", name=NAME, email=EMAIL, notify=True, relation="lives",
            area="Norrby", moderator_note="Ring Gunnel om bänkarna", reply="Vi ställer ut fem.",
            message_to_author="Hej Gunnel, tack!",
            status=ContributionStatus.PUBLISHED,
        ),
        "b": Contribution.objects.create(dialog=b, text="Mer ljus.", name=NAME, email=EMAIL, notify=True),
    }
    return a, b, rows


def test_before_the_date_nothing_changes(kept):
    assert retention.apply(D(2026, 7, 30)) == []
    assert Contribution.objects.filter(name=NAME).count() == 2


def test_after_the_date_no_personal_data_remains_for_that_dialog(kept, users, login):
    a, b, rows = kept
    assert [(dialog.pk, count) for dialog, count in retention.apply(D(2026, 7, 31))] == [(a.pk, 1)]
    anonymised = Contribution.objects.get(pk=rows["a"].pk)
    for field, empty in retention.personal_fields().items():
        assert getattr(anonymised, field) == empty, field
    assert anonymised.anonymised_at is not None
    # The text, the reply and the statistics stay.
    assert anonymised.text == "Fler bänkar på torget." and anonymised.reply == "Vi ställer ut fem."
    assert anonymised.status == ContributionStatus.PUBLISHED and anonymised.submitted_at == rows["a"].submitted_at
    # The note's words leave the moderators' search; the other dialog keeps its data.
    assert "ring" not in anonymised.moderator_search_terms.split() and "ring" in rows["a"].moderator_search_terms
    assert Contribution.objects.get(pk=rows["b"].pk).email == EMAIL
    # Nor in the export of the dialog, nor by search.
    _, content = export(login(users["superuser"]), "csv", dialog=a.pk)
    text = content.decode("utf-8-sig")
    assert NAME not in text and EMAIL not in text and "Norrby" not in text and "Gunnel" not in text
    assert len(csv_rows(content)) == 2
    listing = login(users["superuser"]).get(inbox_url("index"), {"q": "Gunnel"}).content.decode()
    assert rows["a"].reference not in listing
    # Recorded in the dialog page's history; running again finds nothing to do.
    entry = PageLogEntry.objects.get(page=a, action=retention.LOG_ACTION)
    assert entry.data == {"contributions": 1}
    assert retention.apply(D(2026, 8, 1)) == []


def test_the_command_lists_with_dry_run_and_then_anonymises(dialog_a):
    dialog = dated(dialog_a, D(2020, 1, 31))
    Contribution.objects.create(dialog=dialog, text="Hej", name=NAME, email=EMAIL)
    out = io.StringIO()
    call_command("apply_dialog_retention", "--dry-run", stdout=out)
    assert "Torget A (retention ended 2022-01-31): would anonymise 1 contributions" in out.getvalue()
    assert Contribution.objects.filter(name=NAME).exists()
    out = io.StringIO()
    call_command("apply_dialog_retention", stdout=out)
    assert "anonymised 1 contributions" in out.getvalue()
    assert not Contribution.objects.filter(name=NAME).exists()


def test_the_scheduled_task_does_the_same(dialog_a):
    dialog = dated(dialog_a, D(2020, 1, 31))
    Contribution.objects.create(dialog=dialog, text="Hej", name=NAME, email=EMAIL)
    assert retention.apply_retention.call() == 1
    assert not Contribution.objects.filter(email=EMAIL).exists()


def test_a_retention_period_of_zero_months_is_refused(dialog_a):
    from django.core.exceptions import ValidationError

    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.retention_months = 0
    with pytest.raises(ValidationError):
        settings.full_clean()


def test_the_surveys_written_answers_go_with_the_personal_data(dialog_a, dialog_b):
    from wagtail_dialog.followup.evaluation import SurveyResponse, record_response

    a = dated(dialog_a, D(2026, 1, 31), months=6)
    b = dated(dialog_b, D(2026, 1, 31), months=6)
    answers = {"understood_influence": "yes", "accessible": "no", "got_feedback": "no", "take_part_again": "yes"}
    record_response(a, answers, improvement="Ring mig, Gunnel, 0701234567")
    record_response(b, answers, improvement="Mer ljus")
    # Only survey text left in A (no contributions): the dialog is still due, and the answers stay.
    assert [dialog.pk for dialog, _day in retention.due(D(2026, 7, 31))] == [a.pk, b.pk]
    retention.apply(D(2026, 7, 31))
    assert list(SurveyResponse.objects.values_list("improvement", "accessible")) == [("", "no"), ("", "no")]
    assert retention.due(D(2026, 8, 1)) == []
    entry = PageLogEntry.objects.get(page=a, action=retention.LOG_ACTION)
    assert entry.data == {"contributions": 0, "survey_texts": 1}


def test_a_site_that_keeps_more_personal_data_has_it_anonymised_too(kept, monkeypatch):
    # A site's own contribution model declares its extra personal fields; here the
    # signature under the reply stands in for one.
    monkeypatch.setattr(Contribution, "personal_data_fields",
                        {**Contribution.personal_data_fields, "reply_signature": ""})
    a, b, rows = kept
    Contribution.objects.filter(pk=rows["a"].pk).update(reply_signature="Gunnel Ek, gatuchef")
    retention.apply(D(2026, 7, 31))
    assert Contribution.objects.get(pk=rows["a"].pk).reply_signature == ""


def test_a_persons_erasure_empties_the_extra_personal_fields_too(dialog_a, monkeypatch):
    from wagtail_dialog.privacy import requests as personal_data

    monkeypatch.setattr(Contribution, "personal_data_fields",
                        {**Contribution.personal_data_fields, "reply_signature": ""})
    contribution = Contribution.objects.create(dialog=dialog_a, text="Hej", email=EMAIL, reply_signature="Gunnel Ek")
    personal_data.erase(EMAIL, None, personal_data.ErasureMode.ANONYMISE, "KS 1")
    contribution.refresh_from_db()
    assert (contribution.email, contribution.reply_signature, contribution.text) == ("", "", "Hej")
