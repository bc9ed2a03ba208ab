"""Once per confirmed email address: the answers wait for the link in an
email, the address is kept only as a keyed digest in a table of its own, and a
second answer from the same address does not count."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.factories import make_survey
from tests.test_survey_method import ANSWER
from wagtail_dialog.daily import run_daily
from wagtail_dialog.methods.surveys import results
from wagtail_dialog.methods.surveys.answers import SurveyEmailDigest, SurveySubmission, email_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(dialog):
    return make_survey(dialog, answer_limit="email")


def link_in(message):
    return re.search(r"https?://\S+/confirm/\S+/", message.body).group(0)


def answer(survey, address="Berit@Example.se", **changes):
    client = Client()
    response = client.post(survey.url, {**ANSWER, **changes, "wd_email": address})
    return client, response


def test_the_form_asks_for_the_address_and_says_it_is_not_kept(client, survey):
    page = BeautifulSoup(client.get(survey.url).content, "html.parser")
    field = page.select_one("input[name=wd_email]")
    assert field["type"] == "email" and "sparar inte adressen" in page.get_text(" ", strip=True)


def test_the_answers_count_only_once_the_link_is_followed_and_its_button_pressed(survey):
    client, sent = answer(survey)
    assert sent.status_code == 302 and sent["Location"] == survey.url + "check-email/#wd-receipt"
    assert "kolla din e-post" in client.get(sent["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["Berit@Example.se"] and survey.title in message.subject
    waiting = SurveySubmission.objects.get()
    assert waiting.pending and results.results(survey)[0] == 0
    # The address is nowhere in the database: not with the answers, not in the digest table.
    stored = repr(list(SurveySubmission.objects.values())) + repr(list(SurveyEmailDigest.objects.values()))
    assert "berit@example.se" not in stored.lower()

    link = link_in(message)
    opened = client.get(link)  # a mail program checking links counts nothing
    assert opened.status_code == 200 and SurveySubmission.objects.get().pending
    counted = client.post(link)
    assert "dina svar är räknade" in counted.content.decode().lower()
    assert not SurveySubmission.objects.get().pending and results.results(survey)[0] == 1
    assert SurveyEmailDigest.objects.get().digest == email_digest(survey, "berit@example.se")
    assert client.post(link).status_code == 200  # the same link again: still counted once
    assert results.results(survey)[0] == 1


def test_a_second_answer_from_the_same_address_does_not_count(survey):
    answer(survey, "anna@example.se")
    Client().post(link_in(mail.outbox[0]))
    answer(survey, "  ANNA@example.se ", hur_nojd_ar_du_med_parken_i_dag="1")
    second = Client().post(link_in(mail.outbox[1]))
    assert "redan svarat" in second.content.decode()
    assert SurveySubmission.objects.count() == 1
    assert SurveySubmission.objects.get().form_data["hur_nojd_ar_du_med_parken_i_dag"] == "4"


def test_the_digest_is_the_surveys_own(dialog, survey):
    other = make_survey(dialog, slug="annan", answer_limit="email")
    assert email_digest(survey, "anna@example.se") != email_digest(other, "anna@example.se")


def test_a_broken_or_forged_link_counts_nothing(survey):
    answer(survey)
    link = link_in(mail.outbox[0])
    response = Client().post(link[:-8] + "xxxxxxx/")
    assert response.status_code == 404 and SurveySubmission.objects.get().pending


def test_an_address_is_required_and_checked(client, survey):
    response = client.post(survey.url, {**ANSWER, "wd_email": "inte en adress"})
    assert response.status_code == 200 and not SurveySubmission.objects.exists() and not mail.outbox
    assert "#id_wd_email" in [a["href"] for a in BeautifulSoup(response.content, "html.parser").select(
        "#wd-error-summary a")]


def test_answers_never_confirmed_are_removed_by_the_daily_job(survey):
    answer(survey)
    SurveySubmission.objects.update(submit_time=timezone.now() - datetime.timedelta(days=8))
    [result] = [r for r in run_daily(only=["surveys-unconfirmed"])]
    assert result.state == "done" and not SurveySubmission.objects.exists()
