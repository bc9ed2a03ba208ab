"""Issue 13: the dialog page in the order a resident needs it, in plain words,
with its dates as a timeline, and a search hit that lands on the contribution."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone

from tests.factories import make_contribution, make_dialog, make_survey
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.dialogs.pages import DialogScopeLimit
from wagtail_dialog.dialogs.timeline import milestones, today_position
from wagtail_dialog.dialogs.types import DialogType
from wagtail_dialog.public.dialog_cards import with_published_counts

PUBLISHED = ContributionStatus.PUBLISHED
DAY = datetime.timedelta(days=1)


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_take_part_comes_before_the_published_contributions_and_the_background(client, dialog):
    make_contribution(dialog, status=PUBLISHED)
    soup = soup_of(client.get(dialog.url))
    order = [section.get("id") or " ".join(section.get("class")) for section in soup.select("article section")]
    assert order.index("wd-contribute") < order.index("wd-contributions") < order.index("wd-section")
    # The link right under the influence box leads to the form.
    link = soup.select_one(".wd-influence").find_next("a")
    assert link["href"] == "#wd-contribute" and link.get_text(strip=True) == "Lämna din synpunkt"
    # The background follows the contributions.
    contributions = soup.select_one("#wd-contributions")
    assert contributions.find_next("h2", id="wd-background-heading") is not None


def test_no_form_no_link(client, dialog_index):
    dialog = make_dialog(dialog_index, opens_on=timezone.localdate() + 5 * DAY)
    soup = soup_of(client.get(dialog.url))
    assert soup.select_one('a[href="#wd-contribute"]') is None


def test_the_timeline_marks_today_between_the_steps():
    class Dialog:
        opens_on = datetime.date(2026, 11, 1)
        closes_on = datetime.date(2026, 12, 1)
        decided_on = None
        decision_expected_on = datetime.date(2027, 2, 1)
        feedback_published_on = None
        feedback_due_on = datetime.date(2027, 3, 1)

    today = datetime.date(2026, 11, 28)
    steps = milestones(Dialog, today)
    assert [step.kind for step in steps] == ["opens", "closes", "decision", "feedback"]
    assert [step.reached for step in steps] == [True, False, False, False]
    assert [step.planned for step in steps] == [False, False, True, True]
    assert today_position(steps, today) == 1
    assert today_position(steps, datetime.date(2026, 10, 1)) == 0
    assert today_position(steps, datetime.date(2027, 4, 1)) == 4
    # A decision taken replaces the expected one.
    Dialog.decided_on = datetime.date(2027, 1, 15)
    decision = milestones(Dialog, today)[2]
    assert (decision.kind, decision.planned, decision.on) == ("decision", False, Dialog.decided_on)


def test_the_page_shows_the_timeline_with_today(client, dialog_index):
    today = timezone.localdate()
    dialog = make_dialog(dialog_index, opens_on=today - DAY, closes_on=today + 9 * DAY,
                         feedback_due_on=today + 60 * DAY)
    timeline = soup_of(client.get(dialog.url)).select_one(".wd-timeline")
    items = timeline.select("li")
    assert [item.get("aria-current") for item in items][:2] == [None, "date"]
    assert items[1].time["datetime"] == today.isoformat()
    assert "Idag" in items[1].get_text()
    assert "Återkoppling utlovad senast" in items[-1].get_text()


@pytest.mark.parametrize("reason, sentence", [
    ("budget", "Budgeten är redan bestämd: Den totala kostnaden, 2,5 miljoner kronor."),
    ("law", "Lagen avgör redan detta: Den totala kostnaden, 2,5 miljoner kronor."),
])
def test_what_is_fixed_reads_as_a_sentence(client, dialog, reason, sentence):
    DialogScopeLimit.objects.create(page=dialog, fixed="Den totala kostnaden, 2,5 miljoner kronor.", reason=reason,
                                    explanation="Beslutad i budgeten.")
    box = soup_of(client.get(dialog.url)).select_one(".wd-influence")
    item = box.select_one("dd ul li").get_text(" ", strip=True)
    assert item == f"{sentence} Beslutad i budgeten."
    assert "på grund av" not in box.get_text()


def test_the_influence_box_says_what_residents_get_not_the_textbook(client, dialog):
    box = soup_of(client.get(dialog.url)).select_one(".wd-influence")
    assert "du får tycka." in box.get_text()
    # The ladder's characteristic ("Insamling av synpunkter…") stays in the ladder.
    assert "Insamling" not in box.get_text()


def test_a_published_contribution_says_lives_here(client, dialog):
    make_contribution(dialog, status=PUBLISHED, relation="lives", area="Norrby")
    make_contribution(dialog, status=PUBLISHED, relation="other")
    metas = [meta.get_text(" ", strip=True) for meta in soup_of(client.get(dialog.url)).select(".wd-contribution__meta")]
    assert metas[1].endswith("· Bor här · Norrby")
    assert "·" not in metas[0]  # "other" is not worth showing
    assert "Koppling" not in " ".join(metas)


def test_a_page_that_takes_views_elsewhere_says_how_and_until_when(client, dialog_index):
    today = timezone.localdate()
    dialog = make_dialog(
        dialog_index, "Samråd", dialog_type=DialogType.STATUTORY_CONSULTATION, participation_level="information",
        opens_on=None, closes_on=None, decided_on=today - 7 * DAY,
        other_ways="Skriv till samhällsbyggnadsnämnden och ange diarienummer SBN 2026/112.",
        other_ways_until=today + 21 * DAY,
    )
    soup = soup_of(client.get(dialog.url))
    section = soup.select_one("#wd-other-ways")
    text = section.get_text(" ", strip=True)
    until = (today + 21 * DAY)
    assert f"senast den {until.day}" in text and "SBN 2026/112" in text
    assert "Du kan inte skicka dem på den här sidan" in text
    # Not "Beslutad": the page is taking views.
    assert soup.select_one(".wd-dialog__status").get_text(" ", strip=True).startswith("Status: Tar emot synpunkter")
    # Labelled as what it is, on the page and in the index.
    assert "inte en medborgardialog" in soup.select_one(".wd-dialog__type").get_text()
    card = soup_of(client.get(dialog_index.url)).select_one(".wd-card--other")
    assert "Samråd (PBL) – inte en medborgardialog" in card.get_text(" ", strip=True)
    assert "Tar emot synpunkter" in card.get_text()


def test_views_elsewhere_end_on_their_day(client, dialog_index):
    today = timezone.localdate()
    dialog = make_dialog(dialog_index, opens_on=None, closes_on=None, participation_level="information",
                         other_ways="Skriv till oss.", other_ways_until=today - DAY)
    soup = soup_of(client.get(dialog.url))
    assert soup.select_one("#wd-other-ways") is None


def test_a_date_without_a_way_is_refused(dialog_index):
    from django.core.exceptions import ValidationError

    dialog = make_dialog(dialog_index)
    dialog.other_ways_until = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        dialog.full_clean()
    assert "other_ways" in error.value.message_dict


def test_cards_count_published_contributions_and_read_the_ways_to_take_part_in_a_query_each(
        dialog_index, django_assert_num_queries):
    first, second = make_dialog(dialog_index, "A"), make_dialog(dialog_index, "B")
    make_contribution(first, status=PUBLISHED)
    make_contribution(first, status=PUBLISHED)
    make_contribution(first)  # pending: not published
    make_survey(second)
    first.get_url()  # the site's root paths, which serving the index has already read
    with django_assert_num_queries(2):
        counted = with_published_counts([first, second])
    assert [dialog.published_count for dialog in counted] == [2, 0]
    assert [[way.title for way in dialog.ways] for dialog in counted] == [[], ["Enkät om parken"]]


@override_settings(WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE=2)
def test_a_search_hit_leads_to_the_contribution_on_its_page(client, dialog_index):
    dialog = make_dialog(dialog_index, "Parken")
    now = timezone.now()
    found = make_contribution(dialog, text="Fler bänkar vid dammen", status=PUBLISHED,
                              submitted_at=now - datetime.timedelta(hours=5))
    for hours in range(4):
        make_contribution(dialog, text="Något annat", status=PUBLISHED, submitted_at=now - datetime.timedelta(hours=hours))
    hit = soup_of(client.get(dialog_index.url, {"q": "bänkar"})).select_one(".wd-hit--contribution h3 a")
    href = hit["href"]
    assert href.endswith(f"#wd-contribution-{found.pk}")
    # Four newer ones at two a page: the fifth is on page 3.
    assert "contributions_page=3" in href
    page = soup_of(client.get(href.split("#")[0]))
    target = page.select_one(f"#wd-contribution-{found.pk}")
    assert target is not None
    article = target.find_parent("article")
    assert "wd-contribution--found" in article["class"]
    assert [mark.get_text() for mark in article.select("mark")] == ["bänkar"]


def test_marking_takes_no_hostile_input(client, dialog):
    contribution = make_contribution(dialog, text="<b>Fler</b> bänkar", status=PUBLISHED)
    response = client.get(dialog.url, {"q": "<script>" * 10 + " bänkar", "contribution": str(contribution.pk)})
    soup = soup_of(response)
    assert b"<script>" not in response.content and soup.select_one("article mark").get_text() == "bänkar"
    for bad in ("9223372036854775808", "-1", "x"):
        assert client.get(dialog.url, {"q": "bänkar", "contribution": bad}).status_code == 200


def test_swedish_content_says_so_when_the_interface_is_english(client, dialog):
    make_contribution(dialog, text="Fler bänkar", name="Anna", status=PUBLISHED)
    english = soup_of(client.get(dialog.url, HTTP_ACCEPT_LANGUAGE="en"))
    assert english.html["lang"] == "en"
    for selector in ("h1", ".wd-dialog__question", ".wd-contribution__text", ".wd-contribution__author"):
        assert english.select_one(selector)["lang"] == "sv", selector
    # The interface's own words are not marked.
    assert english.select_one("#wd-influence-heading").get("lang") is None
    index = soup_of(client.get(dialog.get_parent().url, HTTP_ACCEPT_LANGUAGE="en"))
    assert index.select_one(".wd-card__title a")["lang"] == "sv"
    # In Swedish, nothing needs marking.
    swedish = soup_of(client.get(dialog.url, HTTP_ACCEPT_LANGUAGE="sv"))
    assert not swedish.select("article [lang]")


def test_views_elsewhere_end_with_the_dialog_when_no_date_is_given(client, dialog_index):
    today = timezone.localdate()
    decided = make_dialog(dialog_index, "Beslutad", opens_on=today - 30 * DAY, closes_on=today - 10 * DAY,
                          decided_on=today - DAY, other_ways="Skriv till oss.")
    soup = soup_of(client.get(decided.url))
    assert soup.select_one("#wd-other-ways") is None
    assert "Beslutad" in soup.select_one(".wd-dialog__status").get_text()


def test_a_closed_web_form_with_views_taken_elsewhere_says_one_thing(client, dialog_index):
    today = timezone.localdate()
    dialog = make_dialog(dialog_index, "Skriftligt", opens_on=today - 30 * DAY, closes_on=today - 3 * DAY,
                         other_ways="Skriv till nämnden.", other_ways_until=today + 10 * DAY)
    soup = soup_of(client.get(dialog.url))
    assert soup.select_one("#wd-other-ways") is not None
    assert soup.select_one("#wd-contribution-notice") is None
    assert len(soup.select("[id=wd-contribute], [id=wd-other-ways]")) == 1
