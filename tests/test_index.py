import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from tests.factories import make_dialog, make_index

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(a.get_text() for a in soup.select(".wd-dialog-list .wd-card__title a"))


@pytest.fixture
def dialogs(dialog_index):
    make_dialog(dialog_index, "Kommande", opens_on=TODAY + 5 * DAY, closes_on=TODAY + 30 * DAY, tags=["park"])
    make_dialog(dialog_index, "Öppen", tags=["park", "skola"])
    make_dialog(dialog_index, "Stängd", opens_on=TODAY - 30 * DAY, closes_on=TODAY - DAY, participation_level="dialogue")
    make_dialog(
        dialog_index,
        "Återkopplad",
        opens_on=TODAY - 90 * DAY,
        closes_on=TODAY - 60 * DAY,
        decided_on=TODAY - 30 * DAY,
        feedback_published_on=TODAY - DAY,
        participation_effect="Förslagen blev en del av beslutet.",
        participation_level="influence",
    )
    return dialog_index


def test_the_index_lists_its_live_dialogs(client, dialogs):
    make_dialog(dialogs, "Utkast").unpublish()
    assert titles(client.get(dialogs.url)) == ["Kommande", "Stängd", "Återkopplad", "Öppen"]


def test_the_index_lists_only_its_own_dialogs(client, dialogs):
    other = make_index(title="Andra", slug="andra")
    make_dialog(other, "Någon annans")
    assert "Någon annans" not in titles(client.get(dialogs.url))


@pytest.mark.parametrize(
    "status, expected",
    [
        ("upcoming", ["Kommande"]),
        ("open", ["Öppen"]),
        ("closed", ["Stängd"]),
        ("decided", []),
        ("feedback-given", ["Återkopplad"]),
    ],
)
def test_filter_by_status(client, dialogs, status, expected):
    assert titles(client.get(dialogs.url, {"status": status})) == expected


def test_filter_by_level(client, dialogs):
    assert titles(client.get(dialogs.url, {"level": "dialogue"})) == ["Stängd"]


def test_filter_by_tag(client, dialogs):
    assert titles(client.get(dialogs.url, {"tag": "park"})) == ["Kommande", "Öppen"]


def test_filters_combine(client, dialogs):
    assert titles(client.get(dialogs.url, {"tag": "park", "status": "open"})) == ["Öppen"]


def test_the_filter_form_works_without_javascript(client, dialogs):
    soup = BeautifulSoup(client.get(dialogs.url).content, "html.parser")
    form = soup.select_one("form.wd-filter")
    assert form["method"] == "get"
    for select in form.select("select"):
        assert soup.select_one(f'label[for="{select["id"]}"]')
    assert form.select_one('button[type="submit"]')
    assert not soup.find("script", src=False)


def test_an_unknown_filter_value_shows_an_error_and_all_dialogs(client, dialogs):
    response = client.get(dialogs.url, {"status": "<script>alert(1)</script>", "level": "nonsense"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".wd-error-summary")
    assert soup.select_one('#id_status[aria-invalid="true"]')
    assert len(titles(response)) == 4
    assert b"<script>alert(1)</script>" not in response.content


@override_settings(WAGTAIL_DIALOG_INDEX_PER_PAGE=2)
def test_the_index_is_paginated_and_keeps_the_filter(client, dialogs):
    first = client.get(dialogs.url)
    second = client.get(dialogs.url, {"page": 2})
    assert len(titles(first)) == 2 and len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    soup = BeautifulSoup(client.get(dialogs.url, {"tag": "park", "page": 1}).content, "html.parser")
    assert soup.select_one(".wd-pagination") is None  # two park dialogs fit on one page
    assert client.get(dialogs.url, {"page": "999"}).status_code == 200
    assert client.get(dialogs.url, {"page": "x"}).status_code == 200


@override_settings(WAGTAIL_DIALOG_INDEX_PER_PAGE=1)
def test_pagination_links_carry_the_filter(client, dialogs):
    soup = BeautifulSoup(client.get(dialogs.url, {"tag": "park"}).content, "html.parser")
    links = [a["href"] for a in soup.select(".wd-pagination a")]
    assert links and all("tag=park" in link for link in links)
    assert soup.select_one('.wd-pagination [aria-current="page"]')


def test_pages_without_an_opening_date_come_last(client, dialogs):
    make_dialog(dialogs, "Information", participation_level="information", opens_on=None, closes_on=None)
    soup = BeautifulSoup(client.get(dialogs.url).content, "html.parser")
    assert soup.select(".wd-card__title a")[-1].get_text() == "Information"
