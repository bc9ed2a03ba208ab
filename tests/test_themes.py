"""The themes of a dialog: most used words and phrases, forms of a word counted
as one, once per contribution; only for the dialog's moderators."""

import math
import random
import time
from itertools import product

import stopwordsiso
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import inbox_url
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.search.themes import STOP_WORDS, log_likelihood, themes

# Pairs of neighbouring words that are no phrase, so that a phrase below has
# something to stand out from (a pair alone among nothing is not "more than chance").
BACKGROUND = [
    f"Våra barn {verb} mycket. Det {adjective} torget är populärt."
    for verb, adjective in product(
        ["leker", "läser", "springer", "klättrar", "gungar", "badar"],
        ["gröna", "vackra", "lugna", "mörka", "öppna", "tysta"],
    )
]


def test_forms_of_a_word_are_one_theme_counted_once_per_contribution():
    words, phrases = themes([
        "Fler cyklar i parken. Cyklar överallt!",
        "En cykel vid parken, och en offentlig toalett.",
        "Offentlig toalett behövs. Parkens bänkar är trasiga.",
        "En offentlig toalett nära lekplatsen.",
        "Inget om saken.",
    ] + BACKGROUND)
    counts = {theme.label: theme.count for theme in words}
    assert counts["cyklar"] == 2  # "cyklar" twice in one contribution counts once; "cykel" joins it
    assert counts["parken"] == 3  # parken, parken, parkens
    assert counts["toalett"] == 3
    assert "behövs" not in counts and "inget" not in counts  # fillers and stop words
    assert {theme.label: theme.count for theme in phrases}["offentlig toalett"] == 3


def test_phrases_do_not_cross_punctuation():
    _, phrases = themes(["Parken. Belysning", "parken, belysning", "Parken – belysning!"] * 3 + BACKGROUND)
    assert "parken belysning" not in {theme.label for theme in phrases}
    _, phrases = themes(["Parken belysning"] * 3 + BACKGROUND)
    assert {theme.label: theme.count for theme in phrases}["parken belysning"] == 3


def test_stop_words_come_from_the_maintained_swedish_list_and_leave_no_filler():
    assert set(stopwordsiso.stopwords("sv")) <= STOP_WORDS
    words, phrases = themes([
        "Vi har inget ställe där barnen kan leka samtidigt, nån gång måste dom åka till centrum.",
        "Inget ställe för barnen i Norrby, dom får åka buss samtidigt som vi andra.",
        "Vi vill ha gungor och en sandlåda, samtidigt som parken blir tryggare.",
    ])
    labels = {theme.label for theme in words}
    assert {"barnen", "ställe", "centrum"} & labels == {"barnen", "ställe"}  # centrum: only once
    assert not {"inget", "nån", "dom", "åka", "samtidigt", "får", "andra", "vill"} & labels
    assert not any("samtidigt" in theme.label for theme in phrases)


def test_an_accidental_pair_is_dropped_and_a_real_collocation_kept():
    texts = BACKGROUND + [
        # Written without punctuation: "barn" and "torget" meet, but both are
        # common, and they meet less often than chance would have them.
        "Vi har tre barn torget är för litet",
        "Mina barn torget borde vara större",
        "Två barn torget behöver bänkar",
        # Written together every time, in contributions that otherwise differ.
        "Bygg en offentlig toalett vid entrén",
        "En offentlig toalett saknas",
        "Offentlig toalett nära lekplatsen, tack",
    ]
    words, phrases = themes(texts)
    counts = {theme.label: theme.count for theme in phrases}
    assert "barn torget" not in counts  # three contributions, but chance
    assert counts["offentlig toalett"] == 3
    # A collocation seen fewer than three times is not yet a theme.
    _, phrases = themes(texts[:-1])
    assert "offentlig toalett" not in {theme.label for theme in phrases}


def test_log_likelihood_is_dunnings_g2():
    together, first, second, total = 10, 30, 20, 1000
    observed = [together, first - together, second - together, total - first - second + together]
    rows, columns = [first, total - first], [second, total - second]
    expected = [rows[i] * columns[j] / total for i in (0, 1) for j in (0, 1)]
    g2 = 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected))
    assert math.isclose(log_likelihood(together, first, second, total), g2)
    assert log_likelihood(6, 60, 100, 1000) < 0.001  # exactly what chance gives


def test_themes_of_3000_contributions_take_seconds_not_minutes():
    random.seed(13)
    vocabulary = [f"ord{a}{b}{c}" for a, b, c in product("abcdefghij", "klmnopqrst", "uvxyzåäö")]
    texts = [
        " ".join(random.choice(vocabulary) + random.choice(["", "", "", "."]) for _ in range(80))
        for _ in range(3000)
    ]
    started = time.process_time()
    words, phrases = themes(texts)
    # About a second of processor time here; a pairwise (quadratic) method would take minutes.
    assert time.process_time() - started < 15
    assert len(words) == 25


def test_the_themes_page_links_to_the_contributions(users, login, dialog_a, dialog_b):
    for text in ("Fler gungor i parken", "Gungorna är trasiga", "En gunga till"):
        make_contribution(dialog_a, text=text)
    make_contribution(dialog_a, text="Gungor gungor", status=ContributionStatus.SPAM)
    make_contribution(dialog_b, text="Gungor i den andra parken")
    moderator = login(users["moderator_a"])
    response = moderator.get(reverse("wagtail_dialog_themes", args=[dialog_a.pk]))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    row = page.select_one('table[aria-labelledby="wd-themes-words"] tbody tr')
    link = row.select_one("a")
    assert row.select("td")[1].get_text() == "3"  # not the spam, not dialog B
    assert link["href"].startswith(inbox_url("index")) and f"dialog={dialog_a.pk}" in link["href"]
    # The inbox lists them (and the spam too, marked as such: it shows every status).
    listing = moderator.get(link["href"]).content.decode()
    assert listing.count('id="contribution_') == 4 and "Gungor i den andra parken" not in listing


def test_only_the_dialogs_moderators_see_its_themes(users, login, dialog_a, dialog_b):
    url = reverse("wagtail_dialog_themes", args=[dialog_b.pk])
    assert login(users["moderator_a"]).get(url).status_code == 404
    assert login(users["moderator_b"]).get(url).status_code == 200
    assert login(users["editor"]).get(url).status_code in (302, 403)
    assert login(None).get(url).status_code == 302
    index = login(users["moderator_a"]).get(reverse("wagtail_dialog_themes_index")).content.decode()
    assert dialog_a.title in index and dialog_b.title not in index
