"""Reports → Annual follow-up: one year's dialogs counted by level, decision
body and type, contributions, participants, feedback on time and evaluation;
as tables and SVG charts, exported to CSV and XLSX, and printable."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from tests.factories import make_contribution, make_decision_body, make_dialog
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from wagtail_dialog.contributions import Channel, ContributionStatus
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.types import DialogType
from wagtail_dialog.followup.charts import bar_chart
from wagtail_dialog.followup.evaluation import SurveyAnswer, record_response
from wagtail_dialog.followup.reports import FeedbackTiming, annual_report, feedback_timing, years

TODAY = datetime.date(2026, 11, 22)
DAY = datetime.timedelta(days=1)
URL = "/admin/reports/annual-follow-up/"


def dated(dialog, **fields):
    DialogPage.objects.filter(pk=dialog.pk).update(**fields)
    return DialogPage.objects.get(pk=dialog.pk)


@pytest.fixture
def year_of_dialogs(dialog_index, dialog_a, dialog_b):
    """Four dialogs opened in 2026 (one not yet by TODAY), one in 2025, one never published."""
    ks, sbn = make_decision_body("Kommunstyrelsen"), make_decision_body("Samhällsbyggnadsnämnden")
    a = dated(dialog_a, opens_on=datetime.date(2026, 3, 1), participation_level=ParticipationLevel.CONSULTATION,
              decision_body=ks, feedback_due_on=datetime.date(2026, 6, 1),
              feedback_published_on=datetime.date(2026, 5, 30),
              participant_count=40)
    b = dated(dialog_b, opens_on=datetime.date(2026, 9, 1), participation_level=ParticipationLevel.DIALOGUE,
              decision_body=sbn, feedback_due_on=datetime.date(2026, 10, 1), feedback_published_on=None)
    c = make_dialog(dialog_index, title="Samråd C", slug="c", opens_on=datetime.date(2026, 2, 1),
                    closes_on=datetime.date(2026, 3, 1), dialog_type=DialogType.STATUTORY_CONSULTATION,
                    participation_level=ParticipationLevel.CONSULTATION, decision_body=sbn,
                    feedback_due_on=datetime.date(2026, 4, 1), participant_count=12)
    c = dated(c, feedback_published_on=datetime.date(2026, 4, 20))
    make_dialog(dialog_index, title="Senare D", slug="d", opens_on=TODAY + DAY)
    make_dialog(dialog_index, title="Förra året E", slug="e", opens_on=datetime.date(2025, 5, 1),
                closes_on=datetime.date(2025, 6, 1))
    draft = make_dialog(dialog_index, title="Utkast F", slug="f", opens_on=datetime.date(2026, 1, 1))
    DialogPage.objects.filter(pk=draft.pk).update(live=False, first_published_at=None)
    for channel, status in [(Channel.WEB, ContributionStatus.PUBLISHED), (Channel.WEB, ContributionStatus.PENDING),
                            (Channel.LETTER, ContributionStatus.PUBLISHED), (Channel.WEB, ContributionStatus.SPAM)]:
        make_contribution(a, channel=channel, status=status)
    make_contribution(b, channel=Channel.MEETING, status=ContributionStatus.REJECTED)
    make_contribution(draft)
    record_response(a, {"understood_influence": SurveyAnswer.YES, "accessible": SurveyAnswer.NO,
                        "got_feedback": SurveyAnswer.YES, "take_part_again": SurveyAnswer.PARTLY})
    record_response(c, {"understood_influence": SurveyAnswer.NO, "accessible": SurveyAnswer.NO,
                        "got_feedback": SurveyAnswer.DONT_KNOW, "take_part_again": SurveyAnswer.YES})
    return a, b, c


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_year_counts_the_dialogs_that_opened_in_it(year_of_dialogs, english):
    a, b, c = year_of_dialogs
    report = annual_report(2026, TODAY)
    assert [dialog.pk for dialog in report.dialogs] == [c.pk, a.pk, b.pk]
    assert dict(report.by_level) == {"Information": 0, "Consultation": 2, "Dialogue": 1, "Influence": 0,
                                     "Co-determination": 0}
    assert report.by_body == [("Samhällsbyggnadsnämnden", 2), ("Kommunstyrelsen", 1)]
    assert dict(report.by_type)["Citizen dialogue"] == 2
    assert dict(report.by_type)["Statutory consultation (PBL)"] == 1
    # Spam is not counted; a rejected contribution was still sent.
    assert (report.contributions, report.published) == (4, 2)
    assert dict(report.by_channel) == {"Web": 1 + 1, "Letter": 1, "Paper form": 0, "Meeting": 1, "Email": 0,
                                       "Phone": 0}
    assert (report.participants, report.dialogs_with_participants) == (52, 2)
    assert dict(report.feedback)[FeedbackTiming.ON_TIME] == 1
    assert dict(report.feedback)[FeedbackTiming.LATE] == 1
    assert dict(report.feedback)[FeedbackTiming.OVERDUE] == 1
    assert (report.feedback_on_time, report.feedback_due, report.feedback_on_time_share) == (1, 3, 33)
    assert report.survey_responses == 2
    assert dict(report.survey[1].counts)[SurveyAnswer.NO] == 2
    assert years(TODAY) == [2026, 2025]
    assert [d.slug for d in annual_report(2025, TODAY).dialogs] == ["e"]


@pytest.mark.parametrize("given, due, today, expected", [
    (None, None, TODAY, FeedbackTiming.NONE),
    (TODAY, None, TODAY, FeedbackTiming.UNDATED),
    (TODAY, TODAY, TODAY, FeedbackTiming.ON_TIME),
    (TODAY, TODAY - DAY, TODAY, FeedbackTiming.LATE),
    (None, TODAY - DAY, TODAY, FeedbackTiming.OVERDUE),
    (None, TODAY, TODAY, FeedbackTiming.NOT_YET_DUE),
    (TODAY + DAY, TODAY - DAY, TODAY, FeedbackTiming.OVERDUE),  # dated ahead: not given yet
])
def test_feedback_timing(db, given, due, today, expected):
    assert feedback_timing(DialogPage(feedback_published_on=given, feedback_due_on=due), today) == expected


def test_the_report_shows_each_figure_as_a_table_and_a_chart(users, login, year_of_dialogs, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    page = login(users["editor"]).get(URL + "2026/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    section = soup.select_one('section[aria-labelledby="wd-report-levels"]')
    svg = section.select_one("svg[role=img]")
    assert svg.title.get_text() == "Dialogs by participation level"
    assert [text.get_text() for text in svg.select("text")][:4] == ["Information", "0", "Consultation", "2"]
    rows = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in section.select("tbody tr")]
    assert rows[1] == ["Consultation", "2", "67\xa0%"]
    summary = " ".join(soup.select_one(".wd-report-summary").get_text(" ").split())
    assert "Dialogs held 3" in summary and "33 % (1 of the 3 dialogs whose promised date has come)" in summary


def test_without_a_year_the_report_shows_the_latest_with_dialogs(users, login, dialog_a, dialog_b):
    dated(dialog_a, opens_on=datetime.date(2024, 3, 1))
    dated(dialog_b, opens_on=datetime.date(2023, 3, 1))
    soup = BeautifulSoup(login(users["editor"]).get(URL).content, "html.parser")
    assert soup.select_one('.wd-report-years [aria-current="page"]').get_text(strip=True) == "2024"
    assert [a.get_text(strip=True) for a in soup.select(".wd-report-years a")] == ["2024", "2023"]
    assert [th.get_text(strip=True) for th in soup.select("table.wd-report-table tbody th")][:1] == ["Torget A"]


def test_each_user_counts_the_dialogs_they_edit(users, login, year_of_dialogs, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    soup = BeautifulSoup(login(users["moderator_b"]).get(URL + "2026/").content, "html.parser")
    summary = " ".join(soup.select_one(".wd-report-summary").get_text(" ").split())
    assert "Dialogs held 1" in summary
    assert [th.get_text(strip=True) for th in soup.select("table.wd-report-table")[0].select("tbody th")] == [
        "Parken B"]


def test_an_alias_of_a_dialog_is_not_counted_again(dialog_index, dialog_a, english):
    from tests.factories import make_index

    other = make_index(title="Andra", slug="andra")
    dialog_a.create_alias(parent=other, update_slug="torget-a-alias")
    assert DialogPage.objects.count() == 2
    assert [d.pk for d in annual_report(dialog_a.opens_on.year, dialog_a.opens_on).dialogs] == [dialog_a.pk]


def test_the_chart_template_writes_no_localised_numbers(year_of_dialogs, english):
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("sv"):
        html = render_to_string("wagtail_dialog/includes/bar_chart.html",
                                {"chart": bar_chart("T", [("a", 3), ("b", 1.5), ("c", 0)])})
    attributes = re.findall(r'\s(?:viewBox|x|y|width|height)="([^"]*)"', html)
    assert attributes and not [value for value in attributes if "," in value], attributes


def test_the_report_exports_every_figure_to_csv_and_xlsx(users, login, year_of_dialogs, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    client = login(users["editor"])
    response = client.get(URL + "2026/?export=csv")
    assert response["Content-Disposition"] == 'attachment; filename="annual-follow-up-2026.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Item", "Value"]
    assert ["Dialogs by decision body", "Samhällsbyggnadsnämnden", "2"] in rows
    assert ["Feedback", "Share given on time (%)", "33"] in rows
    response = client.get(URL + "2026/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert ("Contributions", "Contributions (spam not counted)", 4) in values


def test_a_decision_body_named_like_a_formula_is_neutralised_in_the_export(users, login, dialog_a):
    dated(dialog_a, decision_body=make_decision_body("=HYPERLINK(\"http://x\")"))
    client = login(users["editor"])
    rows = list(csv.reader(io.StringIO(
        client.get(URL + f"{dialog_a.opens_on.year}/?export=csv").content.decode("utf-8-sig"))))
    assert ["Dialogs by decision body", "'=HYPERLINK(\"http://x\")", "1"] in rows
    response = client.get(URL + f"{dialog_a.opens_on.year}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in cells] == [("'=HYPERLINK(\"http://x\")", "s")]


def test_the_printable_version_is_a_plain_page(users, login, year_of_dialogs):
    page = login(users["editor"]).get(URL + "2026/print/")
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.html["lang"] == "en" and soup.h1.get_text(strip=True) == "Annual follow-up of citizen dialogue 2026"
    assert not soup.select(".sidebar, #wagtail-sidebar") and soup.select("svg[role=img]")


@pytest.mark.parametrize("who, status", [("resident", 302), ("moderator_b", 200), ("editor", 200), ("superuser", 200)])
def test_those_who_edit_a_dialog_see_the_report(users, login, who, status):
    response = login(users[who]).get(URL)
    assert response.status_code == status
    for path in ("2026/print/", "2026/?export=csv"):
        assert login(users[who]).get(URL + path).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(login, dialog_a):
    assert login(None).get(URL).status_code == 302


def test_a_year_outside_the_calendar_is_not_found(users, login):
    assert login(users["editor"]).get(URL + "99999/").status_code == 404


def test_chart_coordinates_are_not_localised(settings):
    from django.utils import translation

    with translation.override("sv"):
        chart = bar_chart("T", [("a", 3), ("b", 1.5)], unit="%")
    assert chart.view_box == "0 0 640.0 92.0"
    assert [bar.bar_width for bar in chart.bars] == ["560.0", "280.0"]
    assert chart.bars[1].text == "1,5\xa0%"
