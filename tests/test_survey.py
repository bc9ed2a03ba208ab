"""The anonymous participant survey: reachable once the dialog has opened,
linked from the receipt, the feedback section and the feedback email; it
stores answers without anything that ties them to a person."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.followup.evaluation import (
    SURVEY_QUESTIONS,
    SurveyAnswer,
    SurveyResponse,
    record_response,
    survey_results,
)

DAY = datetime.timedelta(days=1)


def answers(**overrides):
    data = {question.field: SurveyAnswer.YES for question in SURVEY_QUESTIONS}
    data.update(overrides)
    return data


def survey_url(dialog):
    return dialog.url + "survey/"


def test_a_resident_answers_and_is_thanked_without_anything_that_names_them(client, dialog):
    page = client.get(survey_url(dialog))
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    legends = [legend.get_text(strip=True) for legend in soup.select("fieldset legend")]
    # The dialog is open: nobody can have been told yet what came of it.
    assert legends == [str(question.text) for question in SURVEY_QUESTIONS if question.field != "got_feedback"]
    assert not soup.select("input[type=email]") and "name" not in {i.get("autocomplete") for i in soup.select("input")}

    sent = client.post(survey_url(dialog), {**answers(accessible="partly"), "improvement": "Fler möten på kvällstid."})
    assert sent.status_code == 302 and sent["Location"] == survey_url(dialog) + "thanks/"
    assert "Tack för dina svar" in client.get(sent["Location"]).content.decode()  # the public site speaks Swedish
    response = SurveyResponse.objects.get()
    assert (response.dialog_id, response.accessible, response.improvement) == (
        dialog.pk, "partly", "Fler möten på kvällstid.")
    assert {field.name for field in SurveyResponse._meta.get_fields()} == {
        "id", "dialog", "month", "improvement", *(question.field for question in SURVEY_QUESTIONS)
    }


def test_missing_answers_are_named_and_what_was_written_stays(client, dialog):
    page = client.post(survey_url(dialog), {"understood_influence": "yes", "improvement": "Tydligare karta"})
    assert page.status_code == 200 and not SurveyResponse.objects.exists()
    soup = BeautifulSoup(page.content, "html.parser")
    links = [a["href"] for a in soup.select("#wd-error-summary a")]
    assert links == ["#id_accessible_0", "#id_take_part_again_0"]
    assert soup.select_one("#id_understood_influence_0").has_attr("checked")
    assert "Tydligare karta" in soup.select_one("textarea").get_text()
    # Sent to the summary's anchor, so a refused send lands on the summary (it has tabindex="-1").
    assert soup.select_one("form")["action"] == "#wd-error-summary"
    assert soup.select_one("#wd-error-summary")["tabindex"] == "-1"


@pytest.mark.parametrize("bad", [{"accessible": "maybe"}, {"website": "http://spam"}, {"improvement": "x" * 2001},
                                 {"improvement": "nul\x00"}])
def test_bad_answers_are_refused_with_a_message(client, dialog, bad):
    page = client.post(survey_url(dialog), answers(**bad))
    assert page.status_code == 200 and not SurveyResponse.objects.exists()
    assert BeautifulSoup(page.content, "html.parser").select("#wd-error-summary li")


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=2, WAGTAIL_DIALOG_RATE_LIMIT_WINDOW=600)
def test_a_flood_of_answers_is_refused_and_apart_from_contributions(client, dialog):
    for _ in range(2):
        assert client.post(survey_url(dialog), answers()).status_code == 302
    refused = client.post(survey_url(dialog), answers())
    assert refused.status_code == 429 and SurveyResponse.objects.count() == 2
    # Contributions are counted apart: the same client may still send one.
    sent = client.post(dialog.url, {"text": "Fler träd", "consent": "on"})
    assert sent.status_code == 302


def test_there_is_no_survey_before_the_dialog_opens(client, dialog_index):
    upcoming = make_dialog(dialog_index, title="Snart", slug="snart", opens_on=datetime.date.today() + DAY)
    assert client.get(survey_url(upcoming)).status_code == 404
    assert client.post(survey_url(upcoming), answers()).status_code == 404
    assert client.get(upcoming.url + "survey/other/").status_code == 404


def test_an_unpublished_dialog_has_no_survey(client, dialog):
    url = survey_url(dialog)
    dialog.unpublish()
    assert client.get(url).status_code == 404


def test_the_receipt_and_the_feedback_link_to_the_survey(client, dialog):
    sent = client.post(dialog.url, {"text": "Fler träd", "consent": "on"}, follow=True)
    receipt = BeautifulSoup(sent.content, "html.parser").select_one("#wd-receipt")
    assert receipt.select_one(f'a[href="{survey_url(dialog)}"]')
    DialogPage.objects.filter(pk=dialog.pk).update(
        feedback_published_on=datetime.date.today(), participation_effect="Vi byggde fler bänkar."
    )
    page = BeautifulSoup(client.get(dialog.url).content, "html.parser")
    assert page.select_one(f'.wd-feedback a[href="{survey_url(dialog)}"]')


def test_the_feedback_email_links_to_the_survey(dialog):
    from wagtail_dialog.contributions import notifications

    make_contribution(dialog, email="a@example.se", notify=True)
    DialogPage.objects.filter(pk=dialog.pk).update(
        feedback_published_on=datetime.date.today(), participation_effect="Vi byggde fler bänkar."
    )
    notifications.send_feedback.enqueue(dialog.pk)
    (email,) = mail.outbox
    assert "http://localhost/dialoger/torget/survey/" in email.body
    assert 'href="http://localhost/dialoger/torget/survey/"' in email.alternatives[0][0]


def test_results_count_each_answer_per_question(dialog, dialog_index):
    from wagtail_dialog.followup.evaluation import record_response

    other = make_dialog(dialog_index, title="Annan", slug="annan")
    record_response(dialog, answers())
    record_response(dialog, answers(accessible="no", got_feedback="dont-know"))
    record_response(dialog, answers(accessible="no"))
    record_response(other, answers(accessible="partly"))
    results = {result.question.field: result for result in survey_results(SurveyResponse.objects.filter(dialog=dialog))}
    assert results["accessible"].total == 3
    assert dict(results["accessible"].counts) == {"yes": 1, "partly": 0, "no": 2, "dont-know": 0}
    assert dict(results["got_feedback"].counts) == {"yes": 2, "partly": 0, "no": 0, "dont-know": 1}
    assert results["accessible"].share("no") == 67


def test_required_answers_are_not_reported_invalid_before_anyone_answers(client, dialog):
    # The form is novalidate: a `required` attribute would only have the browser
    # tell assistive technology that an untouched question is invalid.
    soup = BeautifulSoup(client.get(survey_url(dialog)).content, "html.parser")
    assert soup.select("[required]") == []
    assert soup.select("[aria-invalid]") == []
    groups = soup.select('fieldset[role="radiogroup"][aria-required="true"]')
    assert len(groups) == 3


def feedback_given(dialog):
    DialogPage.objects.filter(pk=dialog.pk).update(
        decided_on=datetime.date.today() - DAY, feedback_published_on=datetime.date.today(),
        participation_effect="Vi byggde fler bänkar.",
    )
    return DialogPage.objects.get(pk=dialog.pk)


def test_what_came_of_it_is_asked_only_once_feedback_is_published(client, dialog):
    question = "Har du fått veta vad dialogen ledde till?"
    before = client.get(survey_url(dialog), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert question not in before
    # Sent without it, and stored as not asked (not as an answer).
    sent = client.post(survey_url(dialog), answers(got_feedback=""))
    assert sent.status_code == 302 and SurveyResponse.objects.get().got_feedback == ""

    dialog = feedback_given(dialog)
    after = BeautifulSoup(client.get(survey_url(dialog), HTTP_ACCEPT_LANGUAGE="sv").content, "html.parser")
    assert question in [legend.get_text(strip=True) for legend in after.select("fieldset legend")]
    refused = client.post(survey_url(dialog), answers(got_feedback=""))
    assert refused.status_code == 200 and SurveyResponse.objects.count() == 1
    links = [a["href"] for a in BeautifulSoup(refused.content, "html.parser").select("#wd-error-summary a")]
    assert links == ["#id_got_feedback_0"]
    assert client.post(survey_url(dialog), answers(got_feedback="partly")).status_code == 302
    assert list(SurveyResponse.objects.order_by("pk").values_list("got_feedback", flat=True)) == ["", "partly"]


def test_results_count_an_answer_only_where_the_question_was_asked(dialog):
    record_response(dialog, answers(got_feedback="yes"))  # an answer stored before this change
    record_response(dialog, {field: value for field, value in answers().items() if field != "got_feedback"})
    record_response(dialog, {field: value for field, value in answers().items() if field != "got_feedback"})
    record_response(dialog, answers(got_feedback="no"))
    results = {result.question.field: result for result in survey_results(SurveyResponse.objects.filter(dialog=dialog))}
    assert results["accessible"].total == 4
    assert results["got_feedback"].total == 2
    assert dict(results["got_feedback"].counts) == {"yes": 1, "partly": 0, "no": 1, "dont-know": 0}
    assert results["got_feedback"].share("no") == 50


def test_the_survey_is_shared_by_a_cache_and_answered_without_a_token(dialog):
    from django.test import Client

    from tests.test_shared_cache import assert_never_kept, assert_shared

    form = Client().get(survey_url(dialog))
    assert_shared(form)
    assert b"csrfmiddlewaretoken" not in form.content
    strict = Client(enforce_csrf_checks=True)
    sent = strict.post(survey_url(dialog), answers(), HTTP_ORIGIN="http://testserver")
    assert sent.status_code == 302
    assert_never_kept(sent)
    assert_shared(Client().get(sent["Location"]))
    forged = strict.post(survey_url(dialog), {**answers(), "improvement": "Kvällsmöten"},
                         HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403 and "annan webbplats" in forged.content.decode()
    assert "Kvällsmöten" in forged.content.decode()
