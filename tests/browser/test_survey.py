"""Surveys in a real Chromium: every question type and every step answered
without JavaScript on a phone, and axe at zero (WCAG 2.1 A/AA) on every step,
its errors, the receipt and the results, at phone and desktop width."""

import pytest
from django.urls import reverse

from tests.browser.pages import visit
from tests.browser.test_admin_accessibility import settle
from tests.factories import make_survey
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_survey_steps import QUESTIONS as STEPPED
from wagtail_dialog.methods.surveys.answers import SurveySubmission

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
RANK = "vad_ar_viktigast"


@pytest.fixture
def stepped(dialog_a):
    return make_survey(dialog_a, questions=STEPPED, answer_limit="anyone")


@pytest.fixture
def every_type(dialog_a):
    return make_survey(dialog_a, title="Alla frågetyper", slug="alla", answer_limit="anyone")


def submit(page, selector="button[type=submit]:not([name])"):
    """Press a submit button and wait for the page it leads to (a click alone does not wait)."""
    with page.expect_navigation():
        page.click(selector)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_answers_every_step_on_a_phone_without_javascript(page_without_js, live_server, stepped):
    page = page_without_js
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + stepped.url)
    assert page.locator("#wd-progress").inner_text() == "Steg 1 av 2"
    page.check("input[name=bor_du_i_norrby][value=Ja]")
    submit(page)
    assert page.locator("#wd-progress").inner_text() == "Steg 2 av 3"
    page.select_option(f"select[name={RANK}_2]", "1")
    page.select_option(f"select[name={RANK}_0]", "2")
    page.check("input[name=hur_kom_du_hit][value=__other__]")
    page.fill("input[name=hur_kom_du_hit_other]", "Sparkcykel")
    submit(page)
    assert page.locator("#wd-progress").inner_text() == "Steg 3 av 3"
    submit(page, "button[name=wd_back]")
    assert page.locator(f"select[name={RANK}_2]").input_value() == "1"
    assert page.locator("input[name=hur_kom_du_hit_other]").input_value() == "Sparkcykel"
    submit(page)
    page.check("input[name=hur_trygg_kanner_du_dig_i_norrby][value='5']")
    assert no_sideways_scroll(page)
    submit(page)
    assert page.url.endswith(stepped.url + "receipt/#wd-receipt")
    assert "Tack, vi har tagit emot dina svar" in page.inner_text("main")
    answer = SurveySubmission.objects.get()
    assert answer.form_data["vad_ar_viktigast"] == ["Bänkar", "Gungor"]
    assert answer.texts == {"hur_kom_du_hit_other": "Sparkcykel"}


def test_every_question_type_is_answered_without_javascript(page_without_js, live_server, every_type):
    page = page_without_js
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + every_type.url)
    page.check("input[name=hur_ofta_besoker_du_parken][value='Varje vecka']")
    page.check("input[name=hur_nojd_ar_du_med_parken_i_dag][value='4']")
    page.check("input[name=vad_vill_du_kunna_gora_i_parken][value=Grilla]")
    page.select_option("select[name=vilken_del_av_parken_anvander_du_mest]", "Norra")
    page.select_option("select[name=vilka_tider_passar_dig]", ["Förmiddag", "Kväll"])
    page.check("input[name=har_du_barn_som_leker_i_parken]")
    page.fill("input[name=hur_manga_i_ditt_hushall]", "3")
    page.fill("input[name=nar_var_du_senast_i_parken]", "2026-10-01")
    page.fill("textarea[name=nagot_mer_du_vill_saga]", "Fler bänkar.")
    page.fill("input[name=ett_ord_om_parken]", "Grön")
    page.fill("input[name=lank_till_en_bild]", "https://example.se/bild.jpg")
    page.fill("input[name=e_post_om_du_vill_bli_kontaktad]", "anna@example.se")
    submit(page)
    assert page.url.endswith(every_type.url + "receipt/#wd-receipt")
    answer = SurveySubmission.objects.get()
    assert answer.form_data["vilka_tider_passar_dig"] == ["Förmiddag", "Kväll"]
    assert answer.form_data["har_du_barn_som_leker_i_parken"] is True
    assert answer.texts["e_post_om_du_vill_bli_kontaktad"] == "anna@example.se"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_step_its_errors_and_the_receipt_have_no_axe_violations(page, live_server, stepped, every_type,
                                                                       axe_violations, viewport):
    page.set_viewport_size(viewport)
    visit(page, live_server.url + every_type.url)
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    submit(page)  # every required question unanswered
    assert page.locator("#wd-error-summary").is_visible()
    assert axe_violations(page) == [] and no_sideways_scroll(page)

    visit(page, live_server.url + stepped.url)
    assert axe_violations(page) == []
    page.check("input[name=bor_du_i_norrby][value=Ja]")
    submit(page)
    assert axe_violations(page) == [] and no_sideways_scroll(page)  # the ranking and the choice with "Other"
    page.select_option(f"select[name={RANK}_0]", "1")
    page.select_option(f"select[name={RANK}_1]", "1")
    page.check("input[name=hur_kom_du_hit][value=__other__]")
    submit(page)
    assert page.locator("#wd-error-summary a").count() == 2
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.select_option(f"select[name={RANK}_1]", "")
    page.check("input[name=hur_kom_du_hit][value=Buss]")
    submit(page)
    assert axe_violations(page) == []  # the conditional step
    page.check("input[name=hur_trygg_kanner_du_dig_i_norrby][value='3']")
    submit(page)
    assert "receipt" in page.url and axe_violations(page) == [] and no_sideways_scroll(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_results_and_the_staff_form_have_no_axe_violations(admin_page_for, users, live_server, stepped,
                                                               every_type, axe_violations, viewport, client):
    for survey, answer in ((stepped, {"bor_du_i_norrby": "Ja", f"{RANK}_0": "1", "hur_kom_du_hit": "__other__",
                                       "hur_kom_du_hit_other": "Cykel", "hur_trygg_kanner_du_dig_i_norrby": "4"}),):
        for channel in ("paper", "phone"):
            client.force_login(users["superuser"])
            assert client.post(reverse("wagtail_dialog_survey_add_answer", args=[survey.pk]),
                               {**answer, "channel": channel}).status_code == 302
    page = admin_page_for(users["moderator_a"])
    page.set_viewport_size(viewport)
    for url in (reverse("wagtail_dialog_surveys"), reverse("wagtail_dialog_survey_results", args=[stepped.pk]),
                reverse("wagtail_dialog_survey_results", args=[stepped.pk]) + "?channel=paper&q=cykel",
                reverse("wagtail_dialog_survey_print", args=[stepped.pk]),
                reverse("wagtail_dialog_survey_themes", args=[stepped.pk]),
                reverse("wagtail_dialog_survey_add_answer", args=[every_type.pk])):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        settle(page)
        assert axe_violations(page) == [], url
    submit(page, "main form button[type=submit]")  # the staff form with errors
    page.wait_for_selector(".messages")
    settle(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_results_of_a_closed_survey_have_no_axe_violations(page, live_server, dialog_a, axe_violations,
                                                                     viewport):
    import datetime

    today = datetime.date.today()
    closed = make_survey(dialog_a, questions=STEPPED, slug="stangd", results_public=True,
                         opens_on=today - datetime.timedelta(days=5), closes_on=today - datetime.timedelta(days=1))
    for ranked, place in ((["Skugga", "Gungor"], "4"), (["Gungor"], "2")):
        SurveySubmission.objects.create(page=closed, form_data={"bor_du_i_norrby": "Ja", RANK: ranked,
                                                                "hur_kom_du_hit": "Buss",
                                                                "hur_trygg_kanner_du_dig_i_norrby": place})
    page.set_viewport_size(viewport)
    visit(page, live_server.url + closed.url)
    assert page.locator(".wd-survey-results svg.wd-chart").count() == 4
    assert axe_violations(page) == [] and no_sideways_scroll(page)
