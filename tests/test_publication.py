import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.factories import make_decision_body, publishable_fields
from wagtail_dialog.dialogs.gate import GATE_QUESTIONS, GateAnswer
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.publication import publication_problems


def test_a_complete_dialog_has_no_problems():
    fields = publishable_fields(decision_body=object())
    assert publication_problems(fields) == {}


@pytest.mark.parametrize("question", GATE_QUESTIONS, ids=lambda q: q.field)
@pytest.mark.parametrize("answer", ["", GateAnswer.NO, GateAnswer.DOUBTFUL])
def test_every_gate_question_needs_a_yes_before_the_dialog_opens(question, answer):
    fields = publishable_fields(decision_body=object(), **{question.field: answer})
    assert set(publication_problems(fields)) == {question.field}


@pytest.mark.parametrize("field", ["decision_body", "scope_open", "result_use", "participation_level"])
def test_required_fields_before_the_dialog_opens(field):
    fields = publishable_fields(decision_body=object())
    fields[field] = {"decision_body": None, "participation_level": ""}.get(field, "  ")
    assert field in publication_problems(fields)


def test_without_an_opening_date_only_the_level_is_required():
    fields = {"participation_level": ParticipationLevel.INFORMATION}
    assert publication_problems(fields) == {}
    assert set(publication_problems({})) == {"participation_level"}


def test_an_information_page_cannot_open_for_contributions():
    fields = publishable_fields(decision_body=object(), participation_level=ParticipationLevel.INFORMATION)
    assert set(publication_problems(fields)) == {"opens_on"}


def post_data(**fields):
    data = {
        "title": "Torget",
        "slug": "torget",
        "dialog_type": "citizen",
        "question": "Hur ska torget användas?",
        "moderation": "pre",
        "show_contributions": "on",
        "scope_limits": inline_formset([]),
        "target_groups": inline_formset([]),
        "methods": inline_formset([]),
        "body": streamfield([]),
        "feedback_pairs": streamfield([]),
        "tags": "",
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(index):
    return f"/admin/pages/add/wagtail_dialog/dialogpage/{index.pk}/"


@pytest.mark.django_db
def test_publishing_an_incomplete_dialog_is_refused_in_swedish_naming_the_missing_fields(swedish_admin, dialog_index):
    response = swedish_admin.post(
        add_url(dialog_index),
        post_data(participation_level="consultation", opens_on="2026-01-01", **{"action-publish": "publish"}),
    )
    assert response.status_code == 200
    assert not DialogPage.objects.exists()
    html = response.content.decode()
    assert "Namnge beslutsinstansen innan dialogen öppnar för synpunkter." in html
    assert "Innan dialogen kan publiceras behöver du fylla i:" in html
    assert "beslutsinstans" in html


@pytest.mark.django_db
def test_an_incomplete_dialog_can_be_saved_as_a_draft(admin_client, dialog_index):
    response = admin_client.post(add_url(dialog_index), post_data(opens_on="2026-01-01"))
    assert response.status_code == 302
    page = DialogPage.objects.get()
    assert not page.live


@pytest.mark.django_db
def test_a_complete_dialog_is_published(admin_client, dialog_index):
    body = make_decision_body()
    fields = publishable_fields(decision_body=body.pk)
    fields = {key: (value.isoformat() if isinstance(value, datetime.date) else value) for key, value in fields.items()}
    response = admin_client.post(add_url(dialog_index), post_data(**fields, **{"action-publish": "publish"}))
    assert response.status_code == 302
    assert DialogPage.objects.get().live


@pytest.mark.django_db
def test_feedback_must_say_how_participation_affected_the_decision(admin_client, dialog_index):
    body = make_decision_body()
    fields = publishable_fields(decision_body=body.pk, feedback_published_on=datetime.date.today(), feedback_summary="Vi hörde")
    fields = {key: (value.isoformat() if isinstance(value, datetime.date) else value) for key, value in fields.items()}
    response = admin_client.post(add_url(dialog_index), post_data(**fields, **{"action-publish": "publish"}))
    assert response.status_code == 200
    assert not DialogPage.objects.exists()
    assert "participation_effect" in response.context["form"].errors


@pytest.mark.django_db
def test_the_closing_date_cannot_come_before_the_opening_date(admin_client, dialog_index):
    response = admin_client.post(add_url(dialog_index), post_data(opens_on="2026-05-02", closes_on="2026-05-01"))
    assert response.status_code == 200
    assert not DialogPage.objects.exists()


@pytest.mark.django_db
def test_a_gate_question_answered_no_is_reported_as_must_be_yes_not_as_missing(swedish_admin, dialog_index):
    body = make_decision_body()
    answers = {question.field: "yes" for question in GATE_QUESTIONS}
    answers["gate_question_open"] = "no"
    response = swedish_admin.post(add_url(dialog_index), post_data(
        participation_level="consultation", opens_on="2026-01-01", decision_body=body.pk,
        scope_open="Torgets möblering.", result_use="Blir beslutsunderlag.", **answers, **{"action-publish": "publish"},
    ))
    html = " ".join(response.content.decode().split())
    assert not DialogPage.objects.exists()
    assert "kan bara publiceras när alla frågor i vägvalet är besvarade med ja. Inte ja:" in html
    assert "behöver du fylla i" not in html
