"""What a second reading of the survey code found, each held by a test: answers
only for those who manage the survey, personal answers kept out of counts and
search, the address for the link never lost or leaked, hostile places refused."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Page

from tests.factories import make_dialog, make_survey
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_survey_method import ANSWER
from wagtail_dialog.admin.surveys import filter_form_pages
from wagtail_dialog.methods.surveys import views
from wagtail_dialog.methods.surveys.answers import SurveyEmailDigest, SurveySubmission, answers_holding
from wagtail_dialog.methods.surveys.questions import SurveyQuestion
from wagtail_dialog.privacy import retention
from wagtail_dialog.search.database import matching

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_wagtails_forms_listing_offers_a_survey_only_to_those_who_manage_it(users, dialog_a):
    survey = make_survey(dialog_a)
    pages = Page.objects.all()
    assert survey.pk not in filter_form_pages(users["editor"], pages).values_list("pk", flat=True)
    assert survey.pk not in filter_form_pages(users["moderator_b"], pages).values_list("pk", flat=True)
    assert survey.pk in filter_form_pages(users["moderator_a"], pages).values_list("pk", flat=True)
    assert survey.pk in filter_form_pages(users["superuser"], pages).values_list("pk", flat=True)


def test_only_a_written_question_can_be_marked_as_asking_for_personal_data():
    with pytest.raises(ValidationError):
        SurveyQuestion(label="Född", field_type="date", personal=True).clean()
    SurveyQuestion(label="Ditt namn", field_type="singleline", personal=True).clean()


def test_personal_answers_are_not_searchable(client, dialog):
    survey = make_survey(dialog, answer_limit="anyone", questions=(
        ("Ditt namn", "singleline", {"personal": True, "required": False}),
        ("Vad tycker du?", "multiline", {"required": False}),
    ))
    client.post(survey.url, {"ditt_namn": "Anna Svensson", "vad_tycker_du": "Fler bänkar."})
    answers = SurveySubmission.objects.all()
    assert not matching(answers, "svensson").exists() and matching(answers, "bänkar").exists()


def test_an_answer_that_makes_a_step_the_last_asks_for_the_address_there(dialog):
    survey = make_survey(dialog, answer_limit="email", questions=(
        ("Jag bor i kommunen", "checkbox", {"required": False}),
        ("Mer om dig", "section", {"shown_if_label": "Jag bor i kommunen", "shown_if_value": "nej"}),
        ("Var bor du?", "singleline", {"required": False}),
    ))
    client = Client()
    assert client.get(survey.url).content.decode().count('name="wd_email"') == 0  # two steps at first
    asked = client.post(survey.url, {"jag_bor_i_kommunen": "on"})
    assert asked.status_code == 200 and 'name="wd_email"' in asked.content.decode()
    sent = client.post(survey.url, {"jag_bor_i_kommunen": "on", "wd_email": "berit@example.se"})
    assert sent.status_code == 302 and "check-email" in sent["Location"] and len(mail.outbox) == 1


def test_a_failed_email_stores_nothing_and_says_so(dialog, monkeypatch):
    survey = make_survey(dialog, answer_limit="email")

    def down(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(views, "send_email", down)
    response = Client().post(survey.url, {**ANSWER, "wd_email": "berit@example.se"})
    assert response.status_code == 503 and not SurveySubmission.objects.exists()
    assert "kunde inte skicka" in response.content.decode()


def test_a_place_that_is_a_digit_only_to_python_is_refused(dialog):
    from tests.test_survey_steps import QUESTIONS, RANK

    survey = make_survey(dialog, questions=QUESTIONS, answer_limit="anyone")
    client = Client()
    second = client.post(survey.url, {"bor_du_i_norrby": "Nej"})
    state = second.content.decode().split('name="wd_state" value="')[1].split('"')[0]
    response = client.post(survey.url, {"wd_state": state, f"{RANK}_0": "²", "hur_kom_du_hit": "Bil"})
    assert response.status_code == 200 and not SurveySubmission.objects.exists()


def test_a_persons_request_finds_an_address_with_swedish_letters(client, dialog):
    survey = make_survey(dialog, answer_limit="anyone")
    client.post(survey.url, {**ANSWER, "e_post_om_du_vill_bli_kontaktad": "anna@malmö.se"})
    assert answers_holding("ANNA@malmö.se") == 1


def test_at_the_retention_date_the_digests_of_who_answered_go_too(dialog):
    survey = make_survey(dialog, answer_limit="email")
    SurveyEmailDigest.objects.create(survey=survey, digest="a" * 64)
    retention.anonymise(dialog)
    assert not SurveyEmailDigest.objects.exists()


def test_a_way_whose_dialog_now_closes_before_it_opens_is_shown_closed(client, dialog_index):
    today = datetime.date.today()
    dialog = make_dialog(dialog_index, title="Flyttad", slug="flyttad", closes_on=today + 20 * DAY)
    survey = make_survey(dialog, opens_on=today + 10 * DAY)
    dialog.closes_on = today + 5 * DAY
    dialog.save_revision().publish()
    ways = client.get(dialog.url).content.decode().split('id="wd-ways"')[1].split("</section>")[0]
    assert "Öppnar" not in ways and "Stängd" in ways
    assert "öppnar" not in client.get(survey.url).content.decode().lower().split("<main")[1].split("enkäten")[0]


def test_a_quoted_result_of_another_dialogs_survey_is_not_shown(client, dialog_index):
    ours = make_dialog(dialog_index, title="Vår", slug="var", feedback_published_on=datetime.date.today(),
                       participation_effect="Den påverkade.")
    theirs = make_dialog(dialog_index, title="Deras", slug="deras")
    survey = make_survey(theirs)
    ours.feedback_pairs = [("survey_result", {"survey": survey, "question": "Hur nöjd är du med parken i dag?"})]
    ours.save_revision().publish()
    assert "wd-survey-quote" not in client.get(ours.url).content.decode()
