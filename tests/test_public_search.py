"""Residents search a dialog index: dialogs and published contributions
together, with the filters, counts per filter value, excerpts and pages.
Nothing unpublished and no names or emails are ever found.

Every test runs against each search backend (see tests/search_backends.py).
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from tests.factories import make_contribution, make_dialog
from tests.search_backends import search_backend  # noqa: F401  (a fixture)
from wagtail_dialog.contributions import ContributionStatus

pytestmark = pytest.mark.usefixtures("search_backend")

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
PUBLISHED = ContributionStatus.PUBLISHED


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def hits(response):
    """(kind, heading text) of each hit, in order."""
    return [
        (article["class"][1].split("--")[1], article.h3.get_text(" ", strip=True))
        for article in soup(response).select(".wd-result-list article")
    ]


def counts(response, select):
    return {option["value"]: option.get_text() for option in soup(response).select(f"#id_{select} option")}


@pytest.fixture
def world(dialog_index):
    park = make_dialog(dialog_index, "Parken i Norrby", question="Hur ska parken bli bättre för barnen?",
                       tags=["park"], participation_level="dialogue")
    school = make_dialog(dialog_index, "Skolvägen", question="Hur blir vägen till förskolan trygg?",
                         tags=["trafik"], participation_level="influence")
    hidden = make_dialog(dialog_index, "Tyst dialog", question="Om trafiken på torget", show_contributions=False,
                         participation_level="dialogue")
    return {
        "park": park,
        "school": school,
        "hidden": hidden,
        "bikes": make_contribution(park, text="Fler cykelställ och en cykelbana genom parken, tack.",
                                   status=PUBLISHED, name="Hemliga Hanna", email="hanna@example.com"),
        "reply": make_contribution(school, text="Övergångsstället vid skolan är farligt.", status=PUBLISHED,
                                   reply="Vi bygger en upphöjd cykelöverfart i vår."),
        "pending": make_contribution(park, text="En cykeltävling i parken vore kul"),
        "rejected": make_contribution(park, text="Cykel cykel cykel", status=ContributionStatus.REJECTED),
        "not_shown": make_contribution(hidden, text="Bussen och cyklar", status=PUBLISHED),
    }


def test_a_word_in_another_form_finds_dialogs_and_contributions(client, world, dialog_index):
    response = client.get(dialog_index.url, {"q": "förskolorna"})
    assert hits(response) == [("dialog", "Skolvägen")]
    response = client.get(dialog_index.url, {"q": "cykelbanor"})
    assert [kind for kind, _ in hits(response)] == ["contribution"]
    assert "Parken i Norrby" in hits(response)[0][1]


def test_a_word_finds_the_compounds_that_begin_with_it(client, world, dialog_index):
    """Every backend: "cykel" finds "cykelställ", "cykelbana" and the reply's
    "cykelöverfart", and marks them; nothing unpublished or hidden comes with them."""
    response = client.get(dialog_index.url, {"q": "cykel"})
    assert sorted(heading for _, heading in hits(response)) == sorted(
        [hits(client.get(dialog_index.url, {"q": "cykelställ"}))[0][1],
         hits(client.get(dialog_index.url, {"q": "cykelöverfarten"}))[0][1]]
    )
    page = soup(response)
    assert {mark.get_text() for mark in page.select(".wd-hit__excerpt mark")} == {"cykelställ", "cykelbana"}
    assert [mark.get_text() for mark in page.select(".wd-hit__reply mark")] == ["cykelöverfart"]
    # "cykelb" is a prefix of a stored term too, but the compound is found by its first part, not any part.
    assert len(hits(client.get(dialog_index.url, {"q": "cykelb"}))) == 1
    assert hits(client.get(dialog_index.url, {"q": "banan"})) == []


@pytest.mark.parametrize("query", ["%", "_", "\\", "%%", "c_kel", "cyk%", "cyk_", "*", "cyk*", "park*ställ",
                                   "cykel" * 40, "parkenparkenparken"])
def test_wildcards_and_long_words_widen_nothing(client, world, dialog_index, query):
    response = client.get(dialog_index.url, {"q": query})
    assert response.status_code == 200
    assert hits(response) == []


def test_diacritics_need_not_be_typed(client, world, dialog_index):
    assert [kind for kind, _ in hits(client.get(dialog_index.url, {"q": "overgangsstallet"}))] == ["contribution"]


def test_replies_are_searched_and_marked(client, world, dialog_index):
    page = soup(client.get(dialog_index.url, {"q": "upphöjda"}))
    assert len(page.select(".wd-result-list article")) == 1
    assert page.select_one(".wd-hit__reply mark").get_text() == "upphöjd"


def test_matches_are_marked_in_the_excerpt(client, world, dialog_index):
    page = soup(client.get(dialog_index.url, {"q": "parken"}))
    marked = {mark.get_text() for mark in page.select(".wd-hit__excerpt mark")}
    assert marked == {"parken"}


def test_nothing_unpublished_hidden_or_personal_is_found(client, world, dialog_index):
    for query in ("cykeltävling", "Hanna", "hanna@example.com", "bussen"):
        response = client.get(dialog_index.url, {"q": query})
        assert hits(response) == [], query
    text = soup(client.get(dialog_index.url, {"q": "cykel"})).get_text()
    assert "cykeltävling" not in text and "Cykel cykel cykel" not in text and "Hanna" not in text
    world["park"].unpublish()
    assert hits(client.get(dialog_index.url, {"q": "cykelställ"})) == []


def test_filters_narrow_the_search_and_show_counts(client, world, dialog_index):
    response = client.get(dialog_index.url, {"q": "parken"})
    found = hits(response)
    level_counts = counts(response, "level")
    assert sum(int(label.rsplit("(", 1)[1].rstrip(")")) for value, label in level_counts.items() if value) == len(found)
    response = client.get(dialog_index.url, {"q": "parken", "level": "influence"})
    assert hits(response) == []
    response = client.get(dialog_index.url, {"q": "parken", "level": "dialogue"})
    assert [kind for kind, _ in hits(response)] == ["dialog", "contribution"]
    # The count beside a value is what choosing it would give, the other filters kept.
    assert counts(response, "level")["influence"].endswith("(0)")
    assert counts(response, "level")["dialogue"].endswith("(2)")
    assert counts(response, "tag")["park"].endswith("(2)")


def test_counts_without_a_search_are_dialogs(client, world, dialog_index):
    response = client.get(dialog_index.url, {"level": "dialogue"})
    assert counts(response, "level")["dialogue"].endswith("(2)")  # the park and the silent dialog
    assert counts(response, "level")["influence"].endswith("(1)")
    assert counts(response, "tag")["park"].endswith("(1)")


@override_settings(WAGTAIL_DIALOG_INDEX_PER_PAGE=2)
def test_results_are_paginated_dialogs_first(client, world, dialog_index):
    for number in range(3):
        make_contribution(world["park"], text=f"Parken behöver fler bänkar {number}", status=PUBLISHED)
    first = hits(client.get(dialog_index.url, {"q": "parken"}))
    second = hits(client.get(dialog_index.url, {"q": "parken", "page": 2}))
    third = hits(client.get(dialog_index.url, {"q": "parken", "page": 3}))
    assert first[0] == ("dialog", "Parken i Norrby") and len(first) == 2
    assert len(second) == 2 and len(third) == 1
    assert all(kind == "contribution" for kind, _ in second + third)
    page = soup(client.get(dialog_index.url, {"q": "parken", "page": 2}))
    assert "q=parken" in page.select_one(".wd-pagination a")["href"]


def test_the_results_heading_and_title_say_what_was_found(client, world, dialog_index):
    page = soup(client.get(dialog_index.url, {"q": "parken"}))
    heading = page.select_one("#wd-results-heading")
    assert "parken" in heading.get_text() and heading.name == "h2"
    assert page.select_one("section.wd-search-results")["aria-labelledby"] == "wd-results-heading"
    assert page.select_one("form.wd-filter")["role"] == "search"
    assert page.select_one("#id_q")["value"] == "parken"


def test_no_results_say_so(client, world, dialog_index):
    page = soup(client.get(dialog_index.url, {"q": "rymdraket"}))
    assert "0" in page.select_one("#wd-results-heading").get_text()
    assert page.select_one(".wd-result-list") is None


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "x" * 201, "\x00", "' OR 1=1 --", "%", "_", "och"])
def test_odd_queries_never_break_the_page(client, world, dialog_index, query):
    response = client.get(dialog_index.url, {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
