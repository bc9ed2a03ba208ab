"""The inbox bounds what it asks the database, as the public search does: a
search of hundreds of words or one enormous word, and a dialog id outside the
database's range, get a clear message and never a server error, on every
backend, in the listing, its results, both exports and the bulk actions."""

import pytest

from tests.factories import make_contribution
from tests.test_inbox import moderator, references  # noqa: F401  (a fixture, and a helper)
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import bulk_url, inbox_url

pytestmark = pytest.mark.django_db

MANY_WORDS = " ".join(f"ord{n}" for n in range(500))
HUGE_WORD = "a" * 50_000
OUT_OF_RANGE = "9223372036854775808"


@pytest.mark.parametrize("view", ["index", "index_results"])
@pytest.mark.parametrize("query", [MANY_WORDS, HUGE_WORD], ids=["500 words", "50000 characters"])
def test_an_oversized_search_is_refused_with_a_message(moderator, dialog_a, view, query):  # noqa: F811
    make_contribution(dialog_a, text="Fler cykelställ vid stationen")
    response = moderator.get(inbox_url(view), {"q": query})
    assert response.status_code == 200
    # Said above the listing, which stays unsearched, as with any invalid filter.
    assert "Search for at most 200 characters and 20 words." in response.content.decode()


def test_a_long_but_reasonable_search_still_finds(moderator, dialog_a):  # noqa: F811
    contribution = make_contribution(dialog_a, text="Fler cykelställ vid stationen")
    response = moderator.get(inbox_url("index"), {"q": "cykelställ stationen"})
    assert references(response) == [contribution.reference]


@pytest.mark.parametrize("view", ["index", "index_results"])
@pytest.mark.parametrize("value", [OUT_OF_RANGE, "-" + OUT_OF_RANGE, "1e3", "²"])
def test_a_dialog_filter_outside_the_range_lists_nothing_chosen(moderator, dialog_a, view, value):  # noqa: F811
    contribution = make_contribution(dialog_a, text="Fler bänkar")
    response = moderator.get(inbox_url(view), {"dialog": value})
    assert response.status_code == 200
    # The filter's own error, and the unfiltered listing: as with any invalid filter.
    assert contribution.reference in response.content.decode()


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_exports_do_not_fail_on_out_of_range_or_oversized_input(moderator, dialog_a, export):  # noqa: F811
    make_contribution(dialog_a, text="Fler bänkar")
    for params in ({"dialog": OUT_OF_RANGE}, {"q": MANY_WORDS}, {"q": HUGE_WORD}):
        response = moderator.get(inbox_url("index"), {"export": export, **params})
        assert response.status_code in (200, 302), params


def test_bulk_approve_with_an_out_of_range_dialog_filter(moderator, dialog_a):  # noqa: F811
    contribution = make_contribution(dialog_a, text="Fler bänkar")
    url = bulk_url("approve", contribution) + f"&dialog={OUT_OF_RANGE}&q=" + "+".join(MANY_WORDS.split())
    assert moderator.get(url).status_code == 200
    assert moderator.get(url.replace("?", "?id=all&", 1)).status_code in (200, 302)


def test_the_residents_search_at_its_longest_does_not_fail(client, dialog_a):
    # 200 characters (the public search's own bound) of distinct short words.
    query = " ".join(f"o{n:02d}" for n in range(50))[:200]
    response = client.get(dialog_a.get_parent().url, {"q": query})
    assert response.status_code == 200
