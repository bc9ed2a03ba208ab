"""The frame every way of taking part plugs into (methods.base, methods.registry):
a page below a dialog page, refused at a ladder step it does not fit, with the
dialog's dates, listed under "Så kan du delta", on the index cards and in the
open data."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import make_dialog, make_index, make_meeting, make_survey
from wagtail_dialog.dialogs.levels import LADDER, ParticipationLevel, reaches
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.methods.base import way_at
from wagtail_dialog.methods.meetings.pages import MeetingPage
from wagtail_dialog.methods.registry import methods
from wagtail_dialog.methods.surveys.pages import SurveyPage
from wagtail_dialog.methods.votes.pages import VotePage

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("level", [step.value for step in LADDER])
def test_a_level_reaches_its_own_step_and_those_below(level):
    rank = [step.value for step in LADDER].index(level)
    assert [reaches(level, step.value) for step in LADDER] == [i <= rank for i in range(len(LADDER))]
    assert not reaches("", level) and not reaches("nonsense", level)


def test_surveys_meetings_and_votes_are_registered_and_are_the_only_pages_a_dialog_takes(dialog):
    assert [method.page_model for method in methods()] == ["wagtail_dialog.SurveyPage", "wagtail_dialog.MeetingPage",
                                                           "wagtail_dialog.VotePage"]
    assert DialogPage.clean_subpage_models() == [SurveyPage, MeetingPage, VotePage]
    for model in (SurveyPage, MeetingPage, VotePage):
        assert model.can_create_at(dialog)
        assert not model.can_create_at(dialog.get_parent())


def survey_data(**fields):
    data = {
        "title": "Enkät om parken",
        "slug": "enkat",
        "intro": "",
        "summary": "",
        "next_steps": "",
        "answer_limit": "browser",
        "questions": inline_formset([
            {"label": "Hur nöjd är du?", "field_type": "scale", "required": "on", "choices": "", "help_text": "",
             "scale_points": "5", "scale_low_label": "Inte alls", "scale_high_label": "Mycket"},
        ]),
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(dialog):
    return f"/admin/pages/add/wagtail_dialog/surveypage/{dialog.pk}/"


def test_an_editor_adds_and_publishes_a_survey_below_a_consultation(admin_client, dialog):
    response = admin_client.post(add_url(dialog), survey_data(**{"action-publish": "publish"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = SurveyPage.objects.get()
    assert survey.live and survey.get_parent().pk == dialog.pk
    assert [(q.label, q.field_type, q.scale_points) for q in survey.questions.all()] == [("Hur nöjd är du?", "scale", 5)]


def test_a_survey_is_refused_at_the_information_step_in_swedish_naming_the_step_needed(swedish_admin, dialog_index):
    info = make_dialog(dialog_index, title="Information", participation_level=ParticipationLevel.INFORMATION,
                       opens_on=None, closes_on=None)
    response = swedish_admin.post(add_url(info), survey_data(**{"action-publish": "publish"}))
    assert response.status_code == 200 and not SurveyPage.objects.filter(live=True).exists()
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Enkät kräver delaktighetsnivån Konsultation eller högre; den här dialogen är på nivån Information." in text
    # A draft may be saved meanwhile.
    assert swedish_admin.post(add_url(info), survey_data()).status_code == 302
    assert not SurveyPage.objects.get().live


def test_dates_outside_the_dialogs_are_refused(admin_client, dialog):
    early = (dialog.opens_on - DAY).isoformat()
    late = (dialog.closes_on + DAY).isoformat()
    response = admin_client.post(add_url(dialog), survey_data(opens_on=early, closes_on=late,
                                                              **{"action-publish": "publish"}))
    assert response.status_code == 200 and not SurveyPage.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"opens_on", "closes_on"}


def test_a_slug_the_dialog_uses_for_its_own_pages_is_refused(admin_client, dialog):
    response = admin_client.post(add_url(dialog), survey_data(slug="receipt", **{"action-publish": "publish"}))
    assert response.status_code == 200 and "slug" in response.context["form"].errors


def test_a_dialogs_level_cannot_drop_below_a_live_method(dialog):
    make_survey(dialog)
    dialog.participation_level = ParticipationLevel.INFORMATION
    with pytest.raises(Exception) as refused:
        dialog.full_clean()
    assert "participation_level" in refused.value.message_dict


def test_dates_default_to_the_dialogs_and_an_own_date_narrows_them(dialog):
    survey = make_survey(dialog)
    assert survey.dates() == (dialog.opens_on, dialog.closes_on)
    survey.closes_on = dialog.closes_on - 5 * DAY
    assert survey.dates() == (dialog.opens_on, dialog.closes_on - 5 * DAY)
    assert survey.is_open()
    survey.closes_on = datetime.date.today() - DAY
    assert not survey.is_open()


def ways_section(client, dialog):
    soup = BeautifulSoup(client.get(dialog.url).content, "html.parser")
    return soup.select_one("#wd-ways")


def test_the_dialog_page_lists_its_ways_to_take_part_and_a_new_one_shows_at_once(client, dialog):
    assert ways_section(client, dialog) is None  # only the form: nothing to choose between
    survey = make_survey(dialog, summary="Tio frågor om parken.")
    section = ways_section(client, dialog)
    items = [" ".join(li.get_text(" ", strip=True).split()) for li in section.select("li")]
    until = f"{dialog.closes_on.day} {dialog.closes_on:%B}".lower()
    assert items[0].startswith("Skriftlig synpunkt") and section.select("a")[0]["href"] == "#wd-contribute"
    assert items[1].startswith("Enkät Enkät om parken Tio frågor om parken. Öppen till") and until in items[1].lower()
    assert section.select("a")[1]["href"] == survey.url
    # A draft is not listed; unpublishing takes it off the (cached) section at once.
    survey.unpublish()
    assert ways_section(client, dialog) is None


def test_a_way_that_has_not_opened_says_when_it_opens(client, dialog):
    make_survey(dialog, opens_on=datetime.date.today() + 3 * DAY)
    text = ways_section(client, dialog).get_text(" ", strip=True)
    assert "Öppnar" in text


def test_the_index_card_and_the_open_data_list_the_ways(client, dialog_index, dialog):
    survey = make_survey(dialog)
    card = BeautifulSoup(client.get(dialog_index.url).content, "html.parser").select_one(".wd-card")
    assert survey.url in [a["href"] for a in card.select("a")]
    data = json.loads(client.get(dialog_index.url + "api/dialogs/").content)
    [way] = data["results"][0]["ways_to_take_part"]
    assert way == {
        "method": "survey", "title": "Enkät om parken", "url": "http://testserver" + survey.url,
        "opens_on": dialog.opens_on.isoformat(), "closes_on": dialog.closes_on.isoformat(),
    }


def test_ways_of_another_dialog_are_not_listed(client, dialog_index, dialog):
    other = make_dialog(dialog_index, title="Annan")
    make_survey(other)
    assert ways_section(client, dialog) is None
    assert ways_section(client, other) is not None


def test_ways_below_a_dialog_of_another_index_stay_there(client, dialog):
    index = make_index(title="Andra", slug="andra")
    elsewhere = make_dialog(index, title="Torget")
    make_survey(elsewhere)
    assert ways_section(client, dialog) is None


def test_a_methods_own_dates_never_reach_outside_the_dialogs_when_the_dialog_moves_later(dialog):
    survey = make_survey(dialog, closes_on=dialog.closes_on - 2 * DAY)
    dialog.closes_on = datetime.date.today() - DAY  # the dialog closed early
    dialog.save()
    survey = SurveyPage.objects.get(pk=survey.pk)
    assert survey.dates()[1] == dialog.closes_on and not survey.is_open()
    dialog.opens_on = datetime.date.today() - 5 * DAY
    assert survey.dates(dialog)[0] == dialog.opens_on


def test_a_way_is_found_again_after_it_moves_or_another_takes_its_address(client, dialog, django_assert_num_queries):
    meeting = make_meeting(dialog, slug="traff")
    meeting.save_revision().publish()
    assert client.get(meeting.url).status_code == 200
    # Found before: read as its own kind in one query, the hint checked by it.
    with django_assert_num_queries(1):
        assert way_at(meeting.url_path, meeting.depth, dialog.path) == meeting
    # Not below another tree's path, even at its own address.
    assert way_at(meeting.url_path, meeting.depth, "0009") is None
    old_url = meeting.url
    meeting.slug = "nytt"
    meeting.save_revision().publish()
    moved = MeetingPage.objects.get(pk=meeting.pk)
    assert client.get(old_url).status_code == 404 and client.get(moved.url).status_code == 200
    # Gone, and a survey has its address: the survey it is.
    moved.delete()
    survey = make_survey(dialog, slug="nytt")
    assert type(way_at(survey.url_path, survey.depth, dialog.path)) is SurveyPage
    assert client.get(old_url.replace("traff", "nytt")).status_code == 200
