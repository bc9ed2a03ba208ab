"""Exports of the inbox listing as CSV and XLSX: streamed, the listing's
filters applied, formula cells neutralised, names and emails only for those
allowed to see them."""

import csv
import io

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME, inbox_url
from wagtail_dialog.contributions import Contribution, exports

DANGEROUS = ["=1+2", "+46 70 123", "-2+3", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"]


def export(client, export_format, **query):
    response = client.get(inbox_url("index"), {"export": export_format, **query})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def csv_rows(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_cell_that_would_start_a_formula_gets_a_quote(text):
    assert exports.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Fler bänkar", "", " =1", "a=b", 42, None])
def test_other_cells_are_left_alone(value):
    assert exports.neutralise(value) == value


def test_csv_is_streamed_with_a_header_and_one_row_per_contribution(users, login, contribution_a):
    response, content = export(login(users["superuser"]), "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="contributions.csv"' in response["Content-Disposition"]
    header, *rows = csv_rows(content)
    assert header[:3] == ["Reference number", "Dialog", "Submitted at"]
    assert [row[0] for row in rows] == [contribution_a.reference]
    row = dict(zip(header, rows[0]))
    assert row["Dialog"] == "Torget A"
    assert row["Contribution"] == "Fler bänkar på torget."
    assert row["Status"] == "Pending"
    assert row["Name"] == NAME and row["Email"] == EMAIL


def test_xlsx_is_streamed_from_a_file(users, login, contribution_a):
    response, content = export(login(users["superuser"]), "xlsx")
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert "contributions.xlsx" in response["Content-Disposition"]
    header, *rows = xlsx_rows(content)
    assert header[:3] == ["Reference number", "Dialog", "Submitted at"]
    row = dict(zip(header, rows[0]))
    assert row["Reference number"] == contribution_a.reference
    assert row["Contribution"] == "Fler bänkar på torget."
    # Written in the site's time zone: after midnight there, the day differs from UTC's.
    assert row["Submitted at"].date() == timezone.localtime(contribution_a.submitted_at).date()
    assert row["Email"] == EMAIL


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_formula_cells_are_neutralised(export_format, users, login, dialog_a):
    for text in DANGEROUS:
        contribution = make_contribution(dialog_a, text=text, name='=HYPERLINK("http://x")', area="@area")
        contribution.tags.add("-tag")
    _, content = export(login(users["superuser"]), export_format)
    header, *rows = csv_rows(content) if export_format == "csv" else xlsx_rows(content)
    rows = [dict(zip(header, row)) for row in rows]
    expected = ["'" + text for text in DANGEROUS]
    if export_format == "xlsx":
        # XML reads a carriage return back as a line feed.
        expected = [text.replace("\r", "\n") for text in expected]
    assert sorted(row["Contribution"] for row in rows) == sorted(expected)
    assert {row["Name"] for row in rows} == {'\'=HYPERLINK("http://x")'}
    assert {row["Area"] for row in rows} == {"'@area"}
    assert {row["Tags"] for row in rows} == {"'-tag"}


def test_xlsx_has_no_formula_cells(users, login, dialog_a):
    make_contribution(dialog_a, text="=cmd|' /C calc'!A0")
    _, content = export(login(users["superuser"]), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_control_characters_do_not_break_the_xlsx(users, login, dialog_a):
    # (NUL never gets this far: Django's forms refuse it, and PostgreSQL cannot store it.)
    make_contribution(dialog_a, text="Klistrat\x01 från\x0b Word\x1f")
    _, content = export(login(users["superuser"]), "xlsx")
    header, row = xlsx_rows(content)
    assert dict(zip(header, row))["Contribution"] == "Klistrat från Word"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("who", "personal"), [("moderator_a", True), ("moderator_b", False), ("superuser", True)])
def test_names_and_emails_only_for_those_allowed(
    export_format, who, personal, users, login, contribution_a, contribution_b
):
    _, content = export(login(users[who]), export_format)
    header, *rows = csv_rows(content) if export_format == "csv" else xlsx_rows(content)
    assert ("Name" in header and "Email" in header) == personal
    flat = [str(value) for row in rows for value in row]
    assert (EMAIL in flat) == personal
    assert (NAME in flat) == personal


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_follows_the_listings_filters_and_permissions(export_format, users, login, dialog_a, dialog_b):
    published = make_contribution(dialog_a, text="Publicerad", status="published")
    make_contribution(dialog_a, text="Väntar")
    make_contribution(dialog_b, text="I parken", status="published")
    _, content = export(login(users["moderator_a"]), export_format, status="published")
    rows = csv_rows(content)[1:] if export_format == "csv" else xlsx_rows(content)[1:]
    assert [row[0] for row in rows] == [published.reference]
    # The superuser's export of one dialog is named after it.
    response, _ = export(login(users["superuser"]), export_format, dialog=dialog_b.pk)
    assert f"parken-b.{export_format}" in response["Content-Disposition"]


def test_the_export_does_not_grow_its_queries_with_the_rows(users, login, dialog_a, django_assert_max_num_queries):
    client = login(users["superuser"])
    for number in range(3):
        make_contribution(dialog_a, text=f"Synpunkt {number}").tags.add("a", "b")
    export(client, "csv")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        export(client, "csv")
    for number in range(30):
        make_contribution(dialog_a, text=f"Fler {number}").tags.add("c")
    with django_assert_max_num_queries(len(few.captured_queries)):
        _, content = export(client, "csv")
    assert len(csv_rows(content)) == 34


def test_headings_and_choices_follow_the_admin_users_language(users, login, contribution_a):
    """Wagtail runs an admin view in the user's preferred language and switches back when
    the view returns; the streamed rows, written after that, must still be in it."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(users["superuser"])
    profile.preferred_language = "sv"
    profile.save()
    _, content = export(login(users["superuser"]), "csv")  # the browser asks for English
    header, row = csv_rows(content)
    with translation.override("sv"):
        heading = str(Contribution._meta.get_field("channel").verbose_name).capitalize()
        channel = str(contribution_a.get_channel_display())
    with translation.override("en"):
        assert str(contribution_a.get_channel_display()) != channel
    assert dict(zip(header, row))[heading] == channel


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u200b=1+1", "'\u200b=1+1"),
        ("\ufeff@SUM(A1)", "'\ufeff@SUM(A1)"),
        ("\u2060\u200d+HYPERLINK(x)", "'\u2060\u200d+HYPERLINK(x)"),
        ("\u200bHej", "\u200bHej"),
        (" =1+1", " =1+1"),  # a leading space makes it text in spreadsheet programs
        ("=1+1", "'=1+1"),
    ],
)
def test_invisible_characters_do_not_hide_a_formula(value, expected):
    from wagtail_dialog.contributions.exports import _csv_cell, neutralise

    assert neutralise(value) == expected
    assert _csv_cell(value) == expected
