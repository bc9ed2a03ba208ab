"""Surveys that editors build (methods.surveys): a resident answers every
question type without JavaScript, the answers are stored with free text apart,
who may answer how often holds, and the rest of the package counts them."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings
from django.urls import reverse

from tests import frontend_cache
from tests.factories import make_survey
from wagtail_dialog.followup.reports import annual_report
from wagtail_dialog.methods.surveys.answers import SurveySubmission
from wagtail_dialog.privacy import retention

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)

#: A complete answer to tests.factories.EVERY_QUESTION, as a browser posts it.
ANSWER = {
    "hur_ofta_besoker_du_parken": "Varje vecka",
    "hur_nojd_ar_du_med_parken_i_dag": "4",
    "vad_vill_du_kunna_gora_i_parken": ["Leka", "Grilla"],
    "vilken_del_av_parken_anvander_du_mest": "Södra",
    "vilka_tider_passar_dig": ["Kväll"],
    "har_du_barn_som_leker_i_parken": "on",
    "hur_manga_i_ditt_hushall": "3",
    "nar_var_du_senast_i_parken": "2026-10-01",
    "nagot_mer_du_vill_saga": "Fler bänkar vid dammen.",
    "ett_ord_om_parken": "Grön",
    "lank_till_en_bild": "https://example.se/bild.jpg",
    "e_post_om_du_vill_bli_kontaktad": "anna@example.se",
    "website": "",
}


@pytest.fixture
def survey(dialog):
    return make_survey(dialog)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_every_question_type_is_shown_as_plain_html_with_its_label_and_required_said_in_words(client, survey):
    page = soup(client.get(survey.url))
    form = page.select_one("form")
    assert form["method"] == "post" and not page.select("script")
    legends = [" ".join(legend.get_text(" ", strip=True).split()) for legend in form.select("legend")]
    assert legends == ["Hur ofta besöker du parken? (obligatorisk)", "Hur nöjd är du med parken i dag? (obligatorisk)",
                       "Vad vill du kunna göra i parken?"]
    scale = [label.get_text(strip=True) for label in form.select("fieldset.wd-scale label")]
    assert scale == ["1 – Mycket missnöjd", "2", "3", "4", "5 – Mycket nöjd"]
    types = {field["name"]: field.get("type") for field in form.select("input[name]") if field["name"] != "website"}
    assert types["e_post_om_du_vill_bli_kontaktad"] == "email" and types["nar_var_du_senast_i_parken"] == "date"
    assert form.select_one("select[name=vilka_tider_passar_dig]").has_attr("multiple")
    assert form.select_one("textarea[name=nagot_mer_du_vill_saga]")
    # Every field has a label the browser ties to it.
    for field in form.select("input[id], select, textarea"):
        assert form.select_one(f"label[for='{field['id']}']"), field


def test_a_resident_answers_and_gets_the_receipt_with_the_feedback_promise(client, dialog, survey):
    sent = client.post(survey.url, ANSWER)
    assert sent.status_code == 302 and sent["Location"] == survey.url + "receipt/#wd-receipt"
    receipt = soup(client.get(sent["Location"])).get_text(" ", strip=True)
    assert "Tack, vi har tagit emot dina svar" in receipt
    assert f"senast den {dialog.feedback_due_on.day}" in receipt and dialog.feedback_method in receipt
    answer = SurveySubmission.objects.get()
    assert answer.channel == "web" and answer.page_id == survey.pk
    assert answer.form_data == {
        "hur_ofta_besoker_du_parken": "Varje vecka", "hur_nojd_ar_du_med_parken_i_dag": "4",
        "vad_vill_du_kunna_gora_i_parken": ["Leka", "Grilla"], "vilken_del_av_parken_anvander_du_mest": "Södra",
        "vilka_tider_passar_dig": ["Kväll"], "har_du_barn_som_leker_i_parken": True,
        "hur_manga_i_ditt_hushall": "3", "nar_var_du_senast_i_parken": "2026-10-01",
    }
    # Free text, which may name someone, is kept apart for the retention date.
    assert answer.texts == {
        "nagot_mer_du_vill_saga": "Fler bänkar vid dammen.", "ett_ord_om_parken": "Grön",
        "lank_till_en_bild": "https://example.se/bild.jpg", "e_post_om_du_vill_bli_kontaktad": "anna@example.se",
    }


def test_missing_and_wrong_answers_are_listed_linked_to_their_fields_and_nothing_is_lost(client, survey):
    response = client.post(survey.url, {"nagot_mer_du_vill_saga": "Behåll träden.",
                                        "vilken_del_av_parken_anvander_du_mest": "Västra", "hur_manga_i_ditt_hushall": "två"})
    assert response.status_code == 200 and not SurveySubmission.objects.exists()
    page = soup(response)
    links = [a["href"] for a in page.select("#wd-error-summary a")]
    assert links == ["#id_hur_ofta_besoker_du_parken_0", "#id_hur_nojd_ar_du_med_parken_i_dag_0",
                     "#id_vilken_del_av_parken_anvander_du_mest", "#id_hur_manga_i_ditt_hushall"]
    for href in links:
        assert page.select_one(href) is not None
    assert page.select_one("textarea[name=nagot_mer_du_vill_saga]").get_text(strip=True) == "Behåll träden."


@pytest.mark.parametrize("field,value", [
    ("nagot_mer_du_vill_saga", "<script>alert(1)</script>"),
    ("ett_ord_om_parken", "=HYPERLINK(\"http://evil\")"),
    ("ett_ord_om_parken", "rad ett\nrad två"),
    ("ett_ord_om_parken", "a" * 300),
    ("nagot_mer_du_vill_saga", "noll\x00byte"),
    ("hur_nojd_ar_du_med_parken_i_dag", "9"),
    ("hur_ofta_besoker_du_parken", "<b>Aldrig</b>"),
    ("vad_vill_du_kunna_gora_i_parken", "Simma"),
    ("nar_var_du_senast_i_parken", "2026-13-45"),
    ("lank_till_en_bild", "javascript:alert(1)"),
    ("e_post_om_du_vill_bli_kontaktad", "inte en adress"),
    ("hur_manga_i_ditt_hushall", "1e999"),
    ("hur_manga_i_ditt_hushall", "NaN"),
])
def test_hostile_input_is_refused_or_stored_as_text_never_a_500_and_always_escaped(client, survey, field, value):
    response = client.post(survey.url, {**ANSWER, field: value})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html and "<b>Aldrig</b>" not in html
        assert soup(response).select("#wd-error-summary a")
    else:
        answer = SurveySubmission.objects.get()
        assert answer.texts.get(field, answer.form_data.get(field)) == value


def test_a_filled_in_bot_trap_stores_nothing(client, survey):
    response = client.post(survey.url, {**ANSWER, "website": "http://spam.example"})
    assert response.status_code == 200 and not SurveySubmission.objects.exists()


def test_once_per_browser_refuses_the_same_browser_and_not_another(client, survey):
    assert client.post(survey.url, ANSWER).status_code == 302
    again = client.get(survey.url)
    assert "Du har redan svarat" in again.content.decode() and not soup(again).select("form")
    assert "no-store" in again["Cache-Control"]  # that page is this browser's only
    assert client.post(survey.url, ANSWER).status_code == 403
    assert Client().post(survey.url, ANSWER).status_code == 302
    assert SurveySubmission.objects.count() == 2


def test_anyone_may_answer_again_and_is_told_the_results_are_indicative(client, dialog):
    survey = make_survey(dialog, answer_limit="anyone")
    assert "inte vad alla tycker" in client.get(survey.url).content.decode()
    assert client.post(survey.url, ANSWER).status_code == 302
    assert client.post(survey.url, ANSWER).status_code == 302
    assert SurveySubmission.objects.count() == 2


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1)
def test_the_rate_limit_holds_and_keeps_the_answers(dialog):
    survey = make_survey(dialog, answer_limit="anyone")
    client = Client()
    assert client.post(survey.url, ANSWER).status_code == 302
    refused = client.post(survey.url, ANSWER)
    assert refused.status_code == 429 and SurveySubmission.objects.count() == 1
    assert soup(refused).select_one("textarea").get_text(strip=True) == ANSWER["nagot_mer_du_vill_saga"]


def test_a_post_from_another_site_is_refused_with_the_answers_kept(client, survey, settings):
    settings.MIDDLEWARE = ["wagtail_dialog.middleware.SharedCacheMiddleware", *settings.MIDDLEWARE]
    response = client.post(survey.url, ANSWER, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403 and not SurveySubmission.objects.exists()
    assert "en annan webbplats" in response.content.decode()
    assert soup(response).select_one("textarea").get_text(strip=True) == ANSWER["nagot_mer_du_vill_saga"]


def test_before_and_after_its_dates_the_survey_says_so_and_stores_nothing(client, dialog):
    today = datetime.date.today()
    later = make_survey(dialog, slug="senare", opens_on=today + 2 * DAY)
    assert "Enkäten öppnar" in client.get(later.url).content.decode()
    assert client.post(later.url, ANSWER).status_code == 403
    ended = make_survey(dialog, slug="slut", opens_on=today - 5 * DAY, closes_on=today - DAY)
    assert "Enkäten stängde" in client.get(ended.url).content.decode()
    assert client.post(ended.url, ANSWER).status_code == 403
    assert not SurveySubmission.objects.exists()


def test_the_survey_and_its_receipt_are_the_same_for_everyone_and_a_shared_cache_may_keep_them(client, survey):
    for url in (survey.url, survey.url + "receipt/"):
        response = client.get(url)
        assert response.status_code == 200 and "s-maxage" in response["Cache-Control"], url
        assert not response.cookies
    assert "no-store" in client.post(survey.url, ANSWER)["Cache-Control"]


def test_a_preview_shows_the_form_and_stores_nothing(admin_client, survey):
    response = admin_client.get(f"/admin/pages/{survey.pk}/view_draft/")
    assert response.status_code == 200
    assert soup(response).select_one("fieldset.wd-scale")
    assert admin_client.post(f"/admin/pages/{survey.pk}/view_draft/", ANSWER).status_code in (200, 405)
    assert not SurveySubmission.objects.exists()


def test_publishing_a_survey_purges_its_dialogs_page(dialog, purged_urls, django_capture_on_commit_callbacks):
    survey = make_survey(dialog)
    with django_capture_on_commit_callbacks(execute=True):
        survey.save_revision().publish()
    assert any("http://localhost" + dialog.url in batch for batch in purged_urls)


@pytest.fixture
def purged_urls():
    frontend_cache.PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE={"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}):
        yield frontend_cache.PURGED
    frontend_cache.PURGED.clear()


def test_respondents_count_in_the_annual_follow_up_by_channel(client, dialog, survey):
    client.post(survey.url, ANSWER)
    SurveySubmission.objects.create(page=survey, form_data={}, channel="paper")
    SurveySubmission.objects.create(page=survey, form_data={}, channel="paper")
    report = annual_report(dialog.opens_on.year, datetime.date.today())
    counts = dict(report.answers_by_channel)
    assert (counts["Webb"], counts["Pappersblankett"], report.answers) == (1, 2, 3)


def test_at_the_retention_date_the_written_answers_are_emptied_and_the_counted_ones_stay(client, dialog, survey):
    client.post(survey.url, ANSWER)
    assert retention.with_personal_data(dialog).count() == 0
    retention.anonymise(dialog, decision="Dokumenthanteringsplan 3.2")
    answer = SurveySubmission.objects.get()
    assert answer.texts == {} and answer.texts_emptied_at is not None
    assert answer.form_data["hur_nojd_ar_du_med_parken_i_dag"] == "4"
    assert retention.anonymise(dialog) == 0 and SurveySubmission.objects.get().texts_emptied_at == answer.texts_emptied_at


def test_once_closed_the_results_show_on_the_survey_page_only_if_the_editor_chose_so(client, dialog):
    today = datetime.date.today()
    shown = make_survey(dialog, slug="visas", opens_on=today - 5 * DAY, closes_on=today - DAY, results_public=True)
    hidden = make_survey(dialog, slug="doljs", opens_on=today - 5 * DAY, closes_on=today - DAY)
    for survey in (shown, hidden):
        SurveySubmission.objects.create(page=survey, form_data={"hur_nojd_ar_du_med_parken_i_dag": "5"},
                                        texts={"nagot_mer_du_vill_saga": "Hemligt namn"})
    page = soup(client.get(shown.url))
    results = page.select_one(".wd-survey-results")
    assert results is not None and "1 svarande" in results.get_text(" ", strip=True)
    assert results.select("svg.wd-chart") and "Hemligt namn" not in page.get_text()
    assert soup(client.get(hidden.url)).select_one(".wd-survey-results") is None
    # An open survey never shows them.
    open_one = make_survey(dialog, slug="oppen", results_public=True)
    assert soup(client.get(open_one.url)).select_one(".wd-survey-results") is None


def test_the_feedback_quotes_a_survey_result(client, dialog):
    survey = make_survey(dialog)
    for point in ("4", "4", "2"):
        SurveySubmission.objects.create(page=survey, form_data={"hur_nojd_ar_du_med_parken_i_dag": point})
    dialog.feedback_published_on = datetime.date.today()
    dialog.participation_effect = "Nämnden valde lekredskap efter enkäten."
    dialog.feedback_pairs = [("survey_result", {"survey": survey, "question": "hur nöjd är du med parken i dag?",
                                                "comment": "De flesta är ganska nöjda."})]
    dialog.save_revision().publish()
    quote = soup(client.get(dialog.url)).select_one(".wd-feedback .wd-survey-quote")
    text = quote.get_text(" ", strip=True)
    assert "Hur nöjd är du med parken i dag?" in text and "3 svarande" in text
    assert "Medelvärde 3,3" in text and "De flesta är ganska nöjda." in text
    assert quote.select_one("svg.wd-chart") and quote.select_one(f"a[href='{survey.url}']")


def test_the_block_refuses_a_question_the_survey_does_not_have(dialog):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from wagtail_dialog.methods.surveys.blocks import SurveyResultBlock

    survey = make_survey(dialog)
    block = SurveyResultBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"survey": survey.pk, "question": "Finns inte", "comment": ""}))
    with pytest.raises(StructBlockValidationError):  # a written answer cannot be counted
        block.clean(block.to_python({"survey": survey.pk, "question": "Något mer du vill säga?", "comment": ""}))
    assert block.clean(block.to_python({"survey": survey.pk, "question": "Hur nöjd är du med parken i dag?",
                                        "comment": ""}))


def test_questions_asking_for_personal_data_are_named_on_the_survey_and_the_privacy_page(client, dialog):
    survey = make_survey(dialog, questions=(
        ("Ditt namn", "singleline", {"personal": True, "required": False}),
        ("Din e-post", "email", {"required": False}),
        ("Hur nöjd är du?", "scale", {}),
    ))
    note = soup(client.get(survey.url)).select_one(".wd-notice").get_text(" ", strip=True)
    assert "Ditt namn; Din e-post" in note
    privacy = soup(client.get(dialog.url + "privacy/")).get_text(" ", strip=True)
    assert "Enkät om parken : Ditt namn; Din e-post" in privacy
    plain = make_survey(dialog, slug="utan", questions=(("Hur nöjd är du?", "scale", {}),))
    assert not soup(client.get(plain.url)).select(".wd-notice")


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_a_persons_request_finds_and_erases_survey_answers_holding_their_address(client, dialog, survey,
                                                                                 admin_user, mode):
    from wagtail_dialog.privacy import requests as personal_data

    client.post(survey.url, {**ANSWER, "e_post_om_du_vill_bli_kontaktad": "Anna@Example.se"})
    Client().post(survey.url, {**ANSWER, "e_post_om_du_vill_bli_kontaktad": "joanna@example.se"})
    assert personal_data.method_answers(" anna@example.se ") == 1
    record = personal_data.erase("anna@example.se", admin_user, mode, decision="Beslut 2026:1")
    assert record.method_answers == 1
    kept = SurveySubmission.objects.get(texts__e_post_om_du_vill_bli_kontaktad="joanna@example.se")
    if mode == "delete":
        assert SurveySubmission.objects.count() == 1
    else:
        erased = SurveySubmission.objects.exclude(pk=kept.pk).get()
        assert erased.texts == {} and erased.form_data["hur_nojd_ar_du_med_parken_i_dag"] == "4"
    assert personal_data.method_answers("anna@example.se") == 0


def test_the_personal_data_search_tells_staff_of_survey_answers(client, dialog, survey, admin_user):
    client.post(survey.url, {**ANSWER, "e_post_om_du_vill_bli_kontaktad": "anna@example.se"})
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(admin_user)
    page = staff.post(reverse("wagtail_dialog_personal_data"), {"email": "anna@example.se", "note": ""})
    assert "The address is also the written answer in 1 survey answer." in soup(page).get_text(" ", strip=True)


def test_the_archive_export_has_a_sheet_of_every_answer_to_each_survey(client, dialog, survey):
    import io

    from openpyxl import load_workbook

    from wagtail_dialog.privacy import archive

    client.post(survey.url, {**ANSWER, "nagot_mer_du_vill_saga": "=SUM(A1)"})
    SurveySubmission.objects.create(page=survey, form_data={"hur_nojd_ar_du_med_parken_i_dag": "2"}, channel="paper")
    output = io.BytesIO()
    archive.write(dialog, "xlsx", output)
    workbook = load_workbook(io.BytesIO(output.getvalue()))
    assert workbook.sheetnames == ["Synpunkter", "Enkät om parken"]
    rows = [[cell.value for cell in row] for row in workbook["Enkät om parken"].iter_rows()]
    assert len(rows) == 3 and "E-post om du vill bli kontaktad" in rows[0]
    header = rows[0]
    assert rows[1][header.index("Något mer du vill säga?")] == "'=SUM(A1)"
    assert rows[2][header.index("Kanal")] == "Pappersblankett"
