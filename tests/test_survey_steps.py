"""Surveys in steps (a section heading starts one), with a ranking and a
choice with "Other", a step shown only after a given answer, and "Back" that
keeps what was written: all without JavaScript, cookies or sessions."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import make_survey
from wagtail_dialog.methods.surveys import exports, results
from wagtail_dialog.methods.surveys.answers import SurveySubmission
from wagtail_dialog.methods.surveys.pages import SurveyPage

pytestmark = pytest.mark.django_db

QUESTIONS = (
    ("Bor du i Norrby?", "radio", {"choices": "Ja\nNej"}),
    ("Om lekplatsen", "section", {"help_text": "Tre frågor om lekplatsen."}),
    ("Vad är viktigast?", "ranking", {"choices": "Gungor\nSandlåda\nBänkar\nSkugga"}),
    ("Hur kom du hit?", "choice_other", {"choices": "Buss\nBil"}),
    ("Bara för dig i Norrby", "section", {"shown_if_label": "Bor du i Norrby?", "shown_if_value": "Ja"}),
    ("Hur trygg känner du dig i Norrby?", "scale", {"scale_points": 7}),
)
RANK = "vad_ar_viktigast"
HOW = "hur_kom_du_hit"
SAFE = "hur_trygg_kanner_du_dig_i_norrby"


@pytest.fixture
def survey(dialog):
    return make_survey(dialog, questions=QUESTIONS, answer_limit="anyone")


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def state(response):
    field = page(response).select_one("input[name=wd_state]")
    return field["value"] if field else None


def progress(response):
    found = page(response).select_one("#wd-progress")
    return found.get_text(strip=True) if found else None


def test_a_resident_goes_through_the_steps_and_back_without_losing_anything(client, survey):
    first = client.get(survey.url)
    assert progress(first) == "Steg 1 av 2" and state(first) is None  # the first page is the same for everyone
    assert [legend.get_text(" ", strip=True) for legend in page(first).select("legend")] == [
        "Bor du i Norrby? (obligatorisk)"]
    assert not page(first).select("button[name=wd_back]")

    second = client.post(survey.url, {"bor_du_i_norrby": "Ja"})
    assert second.status_code == 200 and progress(second) == "Steg 2 av 3"
    assert page(second).select_one("h2.wd-survey__section").get_text(strip=True) == "Om lekplatsen"
    options = [label.get_text(strip=True) for label in page(second).select(".wd-ranking__option label")]
    assert options == ["Gungor", "Sandlåda", "Bänkar", "Skugga"]

    twice = client.post(survey.url, {"wd_state": state(second), f"{RANK}_0": "1", f"{RANK}_1": "1", HOW: "Buss"})
    assert "plats 1 har getts två gånger" in page(twice).get_text(" ", strip=True).lower().replace("platsen", "plats")
    assert [a["href"] for a in page(twice).select("#wd-error-summary a")] == [f"#id_{RANK}_0"]
    assert page(twice).select_one(f"#id_{RANK}_1 option[selected]")["value"] == "1"  # what was chosen stays

    no_other = client.post(survey.url, {"wd_state": state(twice), f"{RANK}_0": "2", f"{RANK}_1": "1",
                                        HOW: "__other__"})
    assert [a["href"] for a in page(no_other).select("#wd-error-summary a")] == [f"#id_{HOW}_other"]

    third = client.post(survey.url, {"wd_state": state(no_other), f"{RANK}_0": "2", f"{RANK}_1": "1",
                                     HOW: "__other__", f"{HOW}_other": "Cykel"})
    assert progress(third) == "Steg 3 av 3"
    assert page(third).select_one("h2.wd-survey__section").get_text(strip=True) == "Bara för dig i Norrby"

    back = client.post(survey.url, {"wd_state": state(third), SAFE: "6", "wd_back": "1"})
    assert progress(back) == "Steg 2 av 3" and not page(back).select("#wd-error-summary")
    assert page(back).select_one(f"#id_{RANK}_0 option[selected]")["value"] == "2"
    assert page(back).select_one(f"input[name={HOW}_other]")["value"] == "Cykel"

    again = client.post(survey.url, {"wd_state": state(back), f"{RANK}_0": "2", f"{RANK}_1": "1",
                                     HOW: "__other__", f"{HOW}_other": "Cykel"})
    assert page(again).select_one(f"input[name={SAFE}][checked]")["value"] == "6"  # kept from before "Back"

    sent = client.post(survey.url, {"wd_state": state(again), SAFE: "6"})
    assert sent.status_code == 302 and sent["Location"] == survey.url + "receipt/#wd-receipt"
    answer = SurveySubmission.objects.get()
    assert answer.form_data == {"bor_du_i_norrby": "Ja", RANK: ["Sandlåda", "Gungor"], HOW: "__other__", SAFE: "6"}
    assert answer.texts == {f"{HOW}_other": "Cykel"}


def test_a_step_shown_only_after_an_answer_is_skipped_otherwise(survey):
    client = Client()
    second = client.post(survey.url, {"bor_du_i_norrby": "Nej"})
    assert progress(second) == "Steg 2 av 2"
    assert page(second).select_one("button[type=submit]").get_text(strip=True) == "Skicka svaren"
    sent = client.post(survey.url, {"wd_state": state(second), f"{RANK}_0": "1", HOW: "Bil"})
    assert sent.status_code == 302
    assert SAFE not in SurveySubmission.objects.get().form_data


def test_a_changed_answer_drops_the_step_it_no_longer_leads_to(survey):
    client = Client()
    second = client.post(survey.url, {"bor_du_i_norrby": "Ja"})
    third = client.post(survey.url, {"wd_state": state(second), f"{RANK}_0": "1", HOW: "Bil"})
    assert progress(third) == "Steg 3 av 3"
    back = client.post(survey.url, {"wd_state": state(third), SAFE: "2", "wd_back": "1"})
    first = client.post(survey.url, {"wd_state": state(back), "wd_back": "1", f"{RANK}_0": "1", HOW: "Bil"})
    assert progress(first) == "Steg 1 av 3"
    second = client.post(survey.url, {"wd_state": state(first), "bor_du_i_norrby": "Nej"})
    assert progress(second) == "Steg 2 av 2"
    assert client.post(survey.url, {"wd_state": state(second), f"{RANK}_0": "1", HOW: "Bil"}).status_code == 302
    assert SAFE not in SurveySubmission.objects.get().form_data


def test_a_state_that_does_not_verify_starts_over_and_stores_nothing(client, survey):
    response = client.post(survey.url, {"wd_state": "forged", f"{RANK}_0": "1", HOW: "Bil"})
    assert response.status_code == 200 and progress(response) == "Steg 1 av 2"
    assert "Börja om" in response.content.decode() or "från första steget" in response.content.decode()
    assert not SurveySubmission.objects.exists()


def test_rankings_are_counted_by_the_borda_count_and_other_answers_listed(survey):
    for ranked in (["Gungor", "Skugga"], ["Skugga", "Gungor", "Bänkar"], ["Skugga"]):
        SurveySubmission.objects.create(page=survey, form_data={RANK: ranked, HOW: "__other__"},
                                        texts={f"{HOW}_other": "Cykel"})
    with translation.override("en"):
        _count, closed, written = results.results(survey)
    ranking = next(result for result in closed if result.ranking)
    # Four options: first place 4 points, second 3, third 2.
    assert [(row.label, row.count, row.percent) for row in ranking.rows] == [
        ("Skugga", 4 + 4 + 3, 2), ("Gungor", 4 + 3, 1), ("Bänkar", 2, 0), ("Sandlåda", 0, 0)]
    how = next(result for result in closed if result.question.label == "Hur kom du hit?")
    assert [(row.label, row.count, row.percent) for row in how.rows] == [("Buss", 0, 0), ("Bil", 0, 0),
                                                                         ("Other", 3, 100)]
    assert [column.key for column in written] == [f"{HOW}_other"]
    with translation.override("en"):
        cells = [column.value({"form_data": {RANK: ["Skugga", "Gungor"], HOW: "__other__"},
                               "texts": {f"{HOW}_other": "Cykel"}, "submit_time": None, "channel": "web"})
                 for column in exports.columns(survey)]
    assert cells[2:] == ["Ja" if False else None, "1. Skugga, 2. Gungor", "Other", "Cykel", None]


def survey_data(questions, **fields):
    data = {"title": "Enkät", "slug": "enkat", "intro": "", "summary": "", "next_steps": "", "answer_limit": "anyone",
            "questions": inline_formset(questions)}
    data.update(fields)
    return nested_form_data(data)


def question(label, kind, **extra):
    return {"label": label, "field_type": kind, "required": "on", "choices": "", "help_text": "", "scale_points": "5",
            "scale_low_label": "", "scale_high_label": "", "shown_if_label": "", "shown_if_value": "", **extra}


def test_an_editor_is_told_when_a_condition_names_no_earlier_question_or_no_such_answer(admin_client, dialog):
    url = f"/admin/pages/add/wagtail_dialog/surveypage/{dialog.pk}/"
    bad = admin_client.post(url, survey_data([
        question("Bor du här?", "radio", choices="Ja\nNej"),
        question("Mer", "section", shown_if_label="Bor du där?", shown_if_value="Ja"),
        question("Hur då?", "singleline"),
    ], **{"action-publish": "publish"}))
    assert bad.status_code == 200 and not SurveyPage.objects.exists()
    wrong = admin_client.post(url, survey_data([
        question("Bor du här?", "radio", choices="Ja\nNej"),
        question("Mer", "section", shown_if_label="bor du här?", shown_if_value="Kanske"),
        question("Hur då?", "singleline"),
    ], **{"action-publish": "publish"}))
    assert wrong.status_code == 200 and not SurveyPage.objects.exists()
    good = admin_client.post(url, survey_data([
        question("Bor du här?", "radio", choices="Ja\nNej"),
        question("Mer", "section", shown_if_label="bor du här?", shown_if_value="ja"),
        question("Hur då?", "singleline"),
    ], **{"action-publish": "publish"}))
    assert good.status_code == 302 and SurveyPage.objects.get().live


def test_a_ranking_of_more_than_seven_is_refused(admin_client, dialog):
    url = f"/admin/pages/add/wagtail_dialog/surveypage/{dialog.pk}/"
    response = admin_client.post(url, survey_data([
        question("Vad är viktigast?", "ranking", choices="\n".join("ABCDEFGH"))], **{"action-publish": "publish"}))
    assert response.status_code == 200 and not SurveyPage.objects.exists()


def test_staff_type_in_a_paper_answer_that_skipped_a_step(admin_client, survey):
    url = reverse("wagtail_dialog_survey_add_answer", args=[survey.pk])
    response = admin_client.post(url, {"channel": "paper", "bor_du_i_norrby": "Nej", f"{RANK}_0": "1", HOW: "Buss"})
    assert response.status_code == 302
    answer = SurveySubmission.objects.get()
    assert answer.channel == "paper" and answer.form_data == {"bor_du_i_norrby": "Nej", RANK: ["Gungor"], HOW: "Buss"}


@pytest.mark.parametrize("field,value", [
    (f"{RANK}_0", "abc"), (f"{RANK}_0", "99"), (f"{RANK}_0", "-1"), (f"{RANK}_0", "<script>"),
    (HOW, "Tåg"), (f"{HOW}_other", "rad\nbrytning"), (f"{HOW}_other", "noll\x00byte"),
    (f"{HOW}_other", "<img src=x onerror=alert(1)>" * 40),
])
def test_hostile_input_to_a_ranking_or_an_other_choice_is_refused_and_escaped(survey, field, value):
    client = Client()
    second = client.post(survey.url, {"bor_du_i_norrby": "Nej"})
    data = {"wd_state": state(second), f"{RANK}_0": "1", HOW: "__other__", f"{HOW}_other": "Cykel", field: value}
    response = client.post(survey.url, data)
    assert response.status_code == 200 and not SurveySubmission.objects.exists()
    html = response.content.decode()
    assert "<script>" not in html.split("</head>", 1)[1] and "<img src=x" not in html
    assert page(response).select("#wd-error-summary a")


def test_a_forged_state_with_another_surveys_answers_cannot_skip_a_required_step(survey, dialog):
    other = make_survey(dialog, slug="annan", questions=QUESTIONS, answer_limit="anyone")
    client = Client()
    second = client.post(other.url, {"bor_du_i_norrby": "Ja"})
    # The state of another survey's step, sent to this one: its answers are checked again before anything is stored.
    response = client.post(survey.url, {"wd_state": state(second), f"{RANK}_0": "1", HOW: "Bil"})
    assert response.status_code == 200 and not SurveySubmission.objects.exists()
