"""The themes of a dialog: most used words and phrases, forms of a word counted
as one, once per contribution; only for the dialog's moderators."""

from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import inbox_url
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.search.themes import themes


def test_forms_of_a_word_are_one_theme_counted_once_per_contribution():
    words, phrases = themes([
        "Fler cyklar i parken. Cyklar överallt!",
        "En cykel vid parken, och en offentlig toalett.",
        "Offentlig toalett behövs. Parkens bänkar är trasiga.",
        "Inget om saken.",
    ])
    counts = {theme.label: theme.count for theme in words}
    assert counts["cyklar"] == 2  # "cyklar" twice in one contribution counts once; "cykel" joins it
    assert counts["parken"] == 3  # parken, parken, parkens
    assert counts["toalett"] == 2
    assert "behövs" not in counts and "inget" not in counts  # fillers and stop words
    assert {theme.label: theme.count for theme in phrases} == {"offentlig toalett": 2}


def test_phrases_do_not_cross_punctuation():
    _, phrases = themes(["Parken. Belysning", "parken, belysning", "parken belysning"], min_count=1)
    assert [(theme.label, theme.count) for theme in phrases] == [("parken belysning", 1)]


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
