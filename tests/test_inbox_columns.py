"""The inbox listing renders its cells in Python (``views.inbox_columns``):
the markup must be what Wagtail's own cell templates give, and the page-wide
lookups (dialog titles, tags) must show each row's own values."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation
from wagtail.admin.ui import tables

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import inbox_url
from wagtail_dialog.admin import inbox_columns
from wagtail_dialog.admin.inbox_forms import tags_in_use
from wagtail_dialog.contributions import Channel, Contribution, moderation


def normalised(html):
    """Markup with insignificant whitespace removed, attributes in a fixed order."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=True):
        node.replace_with(" ".join(node.split()))
    for tag in soup.find_all(True):
        tag.attrs = {key: tag.attrs[key] for key in sorted(tag.attrs)}
    return re.sub(r">\s+<", "><", str(soup)).strip()


def wagtail_cell(column, instance):
    context = {"row": None, "table": None, "request": None}
    return column.render_cell_html(instance, context)


PAIRS = [
    (
        lambda: tables.Column("reference", label="Reference", classname="extra"),
        lambda: inbox_columns.TextColumn("reference", label="Reference", classname="extra"),
    ),
    (
        lambda: tables.Column("area", label="Area"),  # empty value
        lambda: inbox_columns.TextColumn("area", label="Area"),
    ),
    (
        lambda: tables.TitleColumn(
            "reference", get_url=lambda c: f"/admin/x/{c.pk}/", get_title_id=lambda c: f"contribution_{c.pk}_title"
        ),
        lambda: inbox_columns.TitleColumn(
            "reference", get_url=lambda c: f"/admin/x/{c.pk}/", get_title_id=lambda c: f"contribution_{c.pk}_title"
        ),
    ),
    (
        lambda: tables.StatusTagColumn("status", accessor="get_status_display", primary=lambda c: True),
        lambda: inbox_columns.StatusTagColumn("status", accessor="get_status_display", primary=lambda c: True),
    ),
    (
        lambda: tables.StatusTagColumn("status", accessor="get_status_display", primary=lambda c: False),
        lambda: inbox_columns.StatusTagColumn("status", accessor="get_status_display", primary=lambda c: False),
    ),
    (lambda: tables.DateColumn("submitted_at"), lambda: inbox_columns.DateColumn("submitted_at")),
    (
        lambda: tables.BulkActionsCheckboxColumn("bulk", obj_type="contribution"),
        lambda: inbox_columns.BulkActionsCheckboxColumn("bulk", obj_type="contribution"),
    ),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("wagtails", "ours"), PAIRS)
def test_each_cell_is_the_markup_of_wagtails_own_template(wagtails, ours, language, dialog_a):
    contribution = make_contribution(dialog_a, text="Text", reference="AB<&>\"'12")
    with translation.override(language):
        assert normalised(wagtail_cell(ours(), contribution)) == normalised(wagtail_cell(wagtails(), contribution))


def test_cells_escape_what_residents_wrote(dialog_a):
    contribution = make_contribution(dialog_a, text='<img src=x onerror=alert(1)> & "quotes"')
    html = inbox_columns.TextColumn("text").render_cell_html(contribution, {})
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;" in html


def test_dialog_titles_and_tags_belong_to_each_row(login, dialog_a, dialog_b, users):
    superuser = login(users["superuser"])
    first = make_contribution(dialog_a, text="Första", channel=Channel.LETTER)
    second = make_contribution(dialog_b, text="Andra")
    first.tags.add("trafik", "belysning")
    second.tags.add("lek")
    moderation.approve(second, users["superuser"])
    page = BeautifulSoup(superuser.get(inbox_url("index")).content, "html.parser")
    rows = {
        row.select_one("[id$=_title]").get_text(): [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select("table.listing tbody tr")
    }
    meta = {
        row.select_one("[id$=_title]").get_text(): row.select_one(".wd-inbox-meta").get_text(" ", strip=True)
        for row in page.select("table.listing tbody tr")
    }
    assert meta[first.reference] == "Torget A · Letter · Tags: belysning, trafik"
    assert meta[second.reference] == "Parken B · Web · Tags: lek"
    assert "Published" in rows[second.reference] and "Pending" in rows[first.reference]


def test_a_long_dialog_title_is_shortened_on_the_line_and_whole_for_screen_readers(login, dialog_index, users):
    from tests.factories import make_dialog

    title = "Hur ska vi bygga om torget, parken och gatorna runt stationen under de kommande tio åren?"
    dialog = make_dialog(dialog_index, title=title)
    make_contribution(dialog)
    page = BeautifulSoup(login(users["superuser"]).get(inbox_url("index")).content, "html.parser")
    meta = page.select_one(".wd-inbox-meta")
    shown = meta.select_one('[aria-hidden="true"]').get_text()
    assert shown.endswith("…") and len(shown) <= 40 and shown[:-1].strip() in title
    assert meta.select_one(".w-sr-only").get_text() == title
    # Never only in a tooltip.
    assert not meta.select("[title]")


def test_names_and_emails_are_on_the_meta_line_only_for_those_who_may_see_them(login, dialog_b, users):
    make_contribution(dialog_b, name="Anna Andersson", email="anna@example.se")
    page = BeautifulSoup(login(users["superuser"]).get(inbox_url("index")).content, "html.parser")
    assert "Anna Andersson · anna@example.se" in page.select_one(".wd-inbox-meta").get_text(" ", strip=True)
    # moderator_b moderates the dialog without the personal-data permission.
    without = login(users["moderator_b"]).get(inbox_url("index")).content.decode()
    assert "Anna Andersson" not in without and "anna@example.se" not in without


def test_the_listing_has_four_columns_in_a_named_scroll_region(login, dialog_a, users):
    make_contribution(dialog_a, name="Anna Andersson", email="anna@example.se")
    page = BeautifulSoup(login(users["superuser"]).get(inbox_url("index")).content, "html.parser")
    assert len(page.select("table.listing thead th")) == 4
    region = page.select_one("table.listing").parent
    assert region["role"] == "region" and region["tabindex"] == "0" and region["aria-label"]


def test_the_tag_filter_offers_only_tags_on_contributions_one_moderates(users, dialog_a, dialog_b, login):
    make_contribution(dialog_a).tags.add("trafik")
    make_contribution(dialog_b).tags.add("hemligt-i-b")
    assert tags_in_use(users["moderator_a"], Contribution) == ["trafik"]
    assert tags_in_use(users["superuser"], Contribution) == ["hemligt-i-b", "trafik"]
    page = login(users["moderator_a"]).get(inbox_url("index")).content.decode()
    options = re.search(r'<select name="tag".*?</select>', page, re.S).group(0)
    assert "trafik" in options and "hemligt-i-b" not in options


def test_unused_tags_are_not_offered(users, dialog_a):
    contribution = make_contribution(dialog_a)
    contribution.tags.add("gammal")
    contribution.tags.clear()
    assert tags_in_use(users["superuser"], Contribution) == []
