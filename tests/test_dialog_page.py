import datetime

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_decision_body, make_dialog
from wagtail_dialog.dialogs.decision_bodies import DecisionBodyKind
from wagtail_dialog.dialogs.pages import DialogMethod, DialogScopeLimit, DialogTargetGroup
from wagtail_dialog.dialogs.types import DialogType

TODAY = datetime.date.today()


def soup_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_page_opens_with_how_much_residents_can_influence(client, dialog_index):
    body = make_decision_body("Samhällsbyggnadsnämnden", DecisionBodyKind.COMMITTEE)
    dialog = make_dialog(
        dialog_index,
        decision_body=body,
        case_number="SBN 2026/42",
        decision_expected_on=datetime.date(2027, 3, 1),
        feedback_due_on=datetime.date(2027, 4, 1),
    )
    soup = soup_of(client, dialog)
    box = soup.select_one("section.wd-influence")
    # The box comes straight after the header, before anything else.
    assert soup.select_one("article.wd-dialog > header").find_next("section") is box
    text = box.get_text(" ", strip=True)
    assert "Konsultation" in text or "Consultation" in text
    assert "Samhällsbyggnadsnämnden" in text and "SBN 2026/42" in text
    assert "Torgets möblering" in text
    # The dates are in the timeline.
    assert "1 mars 2027" in soup.select_one("section.wd-timeline").get_text(" ", strip=True)


def facts(soup):
    """The influence box's facts as {term: description}."""
    return {
        item.find("dt").get_text(" ", strip=True): item.find("dd")
        for item in soup.select("section.wd-influence dl.wd-facts > div")
    }


def test_the_responsible_representatives_are_named_with_who_decides(client, dialog_index):
    dialog = make_dialog(dialog_index, representatives="Anna Andersson (S), ordförande\nBo <Berg> (M)")
    soup = soup_of(client, dialog)
    terms = list(facts(soup))
    assert terms.index("Ansvariga förtroendevalda") == terms.index("Vem beslutar") + 1
    named = facts(soup)["Ansvariga förtroendevalda"]
    assert named.get_text("|", strip=True) == "Anna Andersson (S), ordförande|Bo <Berg> (M)"
    assert named.find("br") is not None and named.find("berg") is None


@pytest.mark.parametrize("representatives", ["", "  \n "])
def test_no_representatives_no_line(client, dialog_index, representatives):
    dialog = make_dialog(dialog_index, representatives=representatives)
    soup = soup_of(client, dialog)
    assert "Vem beslutar" in facts(soup)
    assert "Ansvariga förtroendevalda" not in soup.get_text()


def test_the_page_shows_what_is_fixed_and_why(client, dialog):
    DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten på 2 miljoner", reason="budget")
    assert "Budgeten på 2 miljoner" in soup_of(client, dialog).select_one(".wd-influence").get_text()


def test_the_page_marks_its_own_step_on_the_ladder(client, dialog):
    current = soup_of(client, dialog).select('[aria-current="step"]')
    assert len(current) == 1


def test_target_groups_mark_the_seldom_heard(client, dialog):
    DialogTargetGroup.objects.create(page=dialog, name="Unga 13–19 år", seldom_heard=True, how_reached="Fritidsgården")
    DialogMethod.objects.create(page=dialog, ladder_method="focus-group")
    text = soup_of(client, dialog).get_text(" ")
    assert "Unga 13–19 år" in text and "Fritidsgården" in text
    assert "Fokusgrupper" in text or "Focus groups" in text


def test_a_method_needs_a_name():
    with pytest.raises(Exception):
        DialogMethod(ladder_method="", own_method=" ").clean()


def test_feedback_is_shown_once_published(client, dialog_index):
    dialog = make_dialog(
        dialog_index,
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=30),
        decided_on=TODAY - datetime.timedelta(days=10),
        decision_summary="Torget byggs om.",
        feedback_published_on=TODAY,
        feedback_summary="Många ville ha fler bänkar.",
        participation_effect="Fler bänkar finns nu i förslaget.",
    )
    section = soup_of(client, dialog).select_one("section.wd-feedback")
    assert "Fler bänkar finns nu i förslaget." in section.get_text()


def test_other_kinds_of_dialogue_say_they_are_not_citizen_dialogue(client, dialog_index):
    dialog = make_dialog(dialog_index, dialog_type=DialogType.STATUTORY_CONSULTATION)
    assert soup_of(client, dialog).select_one(".wd-influence .wd-note")


def test_text_from_editors_is_escaped(client, dialog_index):
    dialog = make_dialog(dialog_index, question='<img src=x onerror="alert(1)">', scope_open="<b>fet</b>")
    html = client.get(dialog.url).content.decode()
    assert "<img src=x" not in html and "<b>fet</b>" not in html
    assert "&lt;img src=x" in html


def test_the_page_is_searchable_by_its_question(dialog):
    from wagtail_dialog.dialogs.pages import DialogPage

    assert dialog in DialogPage.objects.live().search("torget")


def test_a_decision_dated_in_the_future_is_not_shown_as_taken(client, dialog_index):
    dialog = make_dialog(dialog_index, decided_on=TODAY + datetime.timedelta(days=3), decision_summary="Torget byggs om.")
    assert "Torget byggs om." not in soup_of(client, dialog).get_text()


def test_an_information_page_without_dates_shows_no_status(client, dialog_index):
    page = make_dialog(dialog_index, participation_level="information", opens_on=None, closes_on=None)
    assert not soup_of(client, page).select(".wd-dialog__status")
    index = BeautifulSoup(client.get(dialog_index.url).content, "html.parser")
    assert not index.select(".wd-card .wd-status")


def test_the_expected_decision_date_gives_way_to_the_decision(client, dialog_index):
    past = TODAY - datetime.timedelta(days=5)
    page = make_dialog(
        dialog_index, opens_on=past - datetime.timedelta(days=30), closes_on=past, decided_on=past,
        decision_expected_on=datetime.date(2026, 1, 2),
    )
    assert "2 januari 2026" not in soup_of(client, page).select_one(".wd-influence").get_text()
