"""Staff and surveys (admin.surveys): who may see results and type in answers,
paper answers beside web answers, results counted right, and exports that
stream with formula cells neutralised."""

import csv
import io
import random

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.factories import make_survey
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_permissions import make_group, make_user, outcome
from tests.test_survey_method import ANSWER
from wagtail_dialog.methods.surveys import results
from wagtail_dialog.methods.surveys.answers import SurveySubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_a(dialog_a):
    return make_survey(dialog_a)


ADMIN_VIEWS = {
    "results": ("wagtail_dialog_survey_results", ""),
    "print": ("wagtail_dialog_survey_print", ""),
    "add answer": ("wagtail_dialog_survey_add_answer", ""),
    "csv": ("wagtail_dialog_survey_export", "?format=csv"),
    "xlsx": ("wagtail_dialog_survey_export", "?format=xlsx"),
    "themes": ("wagtail_dialog_survey_themes", ""),
}
WHO = ["anonymous", "resident", "editor", "moderator_a", "moderator_b", "superuser", "dialog_moderator"]
EXPECTED = ["login", "login", "denied", "ok", "denied", "ok", "ok"]


@pytest.fixture
def everyone(users, django_user_model):
    group = make_group("Dialog moderators", perms=["wagtail_dialog.moderate_contribution"])
    return {**users, "dialog_moderator": make_user(django_user_model, "dialogmod", groups=[group])}


@pytest.mark.parametrize("view", ADMIN_VIEWS)
def test_permission_matrix_over_every_admin_survey_url(view, everyone, login, survey_a):
    name, query = ADMIN_VIEWS[view]
    url = reverse(name, args=[survey_a.pk]) + query
    got = [outcome(login(everyone[who]).get(url)) for who in WHO]
    assert got == EXPECTED, dict(zip(WHO, got))


def test_the_public_survey_urls_are_open_to_everyone_and_change_nothing_for_staff(everyone, login, survey_a):
    for who in WHO:
        client = login(everyone[who])
        for path in ("", "receipt/", "check-email/", "confirm/1-00-0-00/"):
            assert client.get(survey_a.url + path).status_code == 200, (who, path)
        # A link that does not verify counts nothing, whoever presses the button.
        assert client.post(survey_a.url + "confirm/1-00-0-00/").status_code == 404
        assert client.get(survey_a.url + "nothing-here/").status_code == 404


def test_the_surveys_listing_shows_a_moderator_only_their_own(everyone, login, survey_a, dialog_b):
    make_survey(dialog_b, title="Enkät om torget B", slug="enkat-b")
    listing = BeautifulSoup(login(everyone["moderator_a"]).get(reverse("wagtail_dialog_surveys")).content,
                            "html.parser")
    titles = [a.get_text(strip=True) for a in listing.select("tbody th a")]
    assert titles == ["Enkät om parken"]
    assert outcome(login(everyone["editor"]).get(reverse("wagtail_dialog_surveys"))) == "denied"
    assert len(BeautifulSoup(login(everyone["superuser"]).get(reverse("wagtail_dialog_surveys")).content,
                             "html.parser").select("tbody tr")) == 2


def test_a_posted_answer_of_another_users_survey_is_refused(everyone, login, survey_a):
    url = reverse("wagtail_dialog_survey_add_answer", args=[survey_a.pk])
    response = login(everyone["moderator_b"]).post(url, {**ANSWER, "channel": "paper"})
    assert outcome(response) == "denied" and not SurveySubmission.objects.exists()


def test_staff_type_in_a_paper_answer_and_the_results_show_it_beside_the_web_answers(
        everyone, login, client, survey_a):
    assert client.post(survey_a.url, ANSWER).status_code == 302
    staff = login(everyone["moderator_a"])
    url = reverse("wagtail_dialog_survey_add_answer", args=[survey_a.pk])
    form = BeautifulSoup(staff.get(url).content, "html.parser")
    assert form.select_one("select[name=channel] option[selected]")["value"] == "paper"
    assert not form.select("input[name=website]")
    sent = staff.post(url, {**ANSWER, "hur_nojd_ar_du_med_parken_i_dag": "2", "channel": "paper"})
    assert sent.status_code == 302 and sent["Location"].endswith("?channel=paper")
    paper = SurveySubmission.objects.get(channel="paper")
    assert paper.entered_by == everyone["moderator_a"] and paper.form_data["hur_nojd_ar_du_med_parken_i_dag"] == "2"

    page = BeautifulSoup(staff.get(reverse("wagtail_dialog_survey_results", args=[survey_a.pk])).content,
                         "html.parser")
    text = page.get_text(" ", strip=True)
    assert "2 respondents" in text and "Mean 3.0 on a scale of 1 to 5." in text
    assert "Web (1)" in text and "Paper form (1)" in text
    only_paper = staff.get(reverse("wagtail_dialog_survey_results", args=[survey_a.pk]) + "?channel=paper")
    assert "Mean 2.0 on a scale of 1 to 5." in only_paper.content.decode()
    # A required answer missing: told, nothing stored.
    refused = staff.post(url, {"channel": "phone"})
    assert refused.status_code == 200 and SurveySubmission.objects.count() == 2


def test_results_count_every_generated_answer_and_single_answers_add_up_to_100(survey_a):
    generator = random.Random(16)
    sent = []
    for _ in range(137):
        data = {
            "hur_ofta_besoker_du_parken": generator.choice(["Varje dag", "Varje vecka", "Sällan"]),
            "hur_nojd_ar_du_med_parken_i_dag": str(generator.randint(1, 5)),
            "vad_vill_du_kunna_gora_i_parken": generator.sample(["Leka", "Grilla", "Promenera"], generator.randint(0, 3)),
            "vilken_del_av_parken_anvander_du_mest": generator.choice([None, "Norra", "Södra"]),
            "har_du_barn_som_leker_i_parken": generator.random() < 0.4,
        }
        sent.append(data)
        SurveySubmission.objects.create(page=survey_a, form_data=data, channel=generator.choice(["web", "paper"]))
    with translation.override("en"):
        respondents, closed, _written = results.results(survey_a)
    assert respondents == 137
    by_label = {result.question.label: result for result in closed}
    often = by_label["Hur ofta besöker du parken?"]
    assert {row.label: row.count for row in often.rows} == {
        choice: sum(d["hur_ofta_besoker_du_parken"] == choice for d in sent) for choice in ("Varje dag", "Varje vecka", "Sällan")}
    assert sum(row.percent for row in often.rows) == 100
    scale = by_label["Hur nöjd är du med parken i dag?"]
    assert scale.mean == pytest.approx(sum(int(d["hur_nojd_ar_du_med_parken_i_dag"]) for d in sent) / 137)
    ticked = {row.label: row.count for row in by_label["Vad vill du kunna göra i parken?"].rows}
    assert ticked == {c: sum(c in d["vad_vill_du_kunna_gora_i_parken"] for d in sent) for c in ("Leka", "Grilla", "Promenera")}
    part = {row.label: row.count for row in by_label["Vilken del av parken använder du mest?"].rows}
    assert part == {"Norra": sum(d["vilken_del_av_parken_anvander_du_mest"] == "Norra" for d in sent),
                    "Södra": sum(d["vilken_del_av_parken_anvander_du_mest"] == "Södra" for d in sent),
                    "No answer": sum(d["vilken_del_av_parken_anvander_du_mest"] is None for d in sent)}
    assert sum(row.percent for row in by_label["Vilken del av parken använder du mest?"].rows) == 100
    kids = {row.label: row.count for row in by_label["Har du barn som leker i parken?"].rows}
    assert kids == {"Yes": sum(d["har_du_barn_som_leker_i_parken"] for d in sent),
                    "No": sum(not d["har_du_barn_som_leker_i_parken"] for d in sent)}
    # The channel filter narrows every figure.
    web, _closed, _ = results.results(survey_a, "web")
    assert web == sum(1 for s in SurveySubmission.objects.filter(channel="web"))


def test_the_results_take_a_fixed_number_of_queries_whatever_the_number_of_answers(
        everyone, login, survey_a, django_assert_max_num_queries):
    staff = login(everyone["superuser"])
    url = reverse("wagtail_dialog_survey_results", args=[survey_a.pk])
    staff.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    SurveySubmission.objects.bulk_create(
        SurveySubmission(page=survey_a, form_data={"hur_ofta_besoker_du_parken": "Sällan",
                                                   "vad_vill_du_kunna_gora_i_parken": ["Leka"]},
                         texts={"nagot_mer_du_vill_saga": f"Svar {i}"}) for i in range(300))
    with CaptureQueriesContext(connection) as many:
        staff.get(url)
    assert len(many) == len(few)


HOSTILE = {"nagot_mer_du_vill_saga": "=HYPERLINK(\"http://evil.example\",\"klicka\")",
           "ett_ord_om_parken": "<img src=x onerror=alert(1)>", "e_post_om_du_vill_bli_kontaktad": "anna@example.se"}


def test_exports_stream_every_answer_with_formulas_neutralised_and_emails_only_for_those_allowed(
        everyone, login, client, survey_a):
    assert client.post(survey_a.url, {**ANSWER, **HOSTILE}).status_code == 302
    export = reverse("wagtail_dialog_survey_export", args=[survey_a.pk])
    response = login(everyone["moderator_a"]).get(export + "?format=csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, row = rows
    cells = dict(zip(header, row))
    assert cells["Något mer du vill säga?"].startswith("'=HYPERLINK")
    assert cells["Ett ord om parken"] == "<img src=x onerror=alert(1)>"
    assert cells["Vad vill du kunna göra i parken?"] == "Leka, Grilla"
    assert cells["E-post om du vill bli kontaktad"] == "anna@example.se"  # moderator_a may see personal data
    # moderator of the whole site without the personal-data permission: no email column.
    rows = list(csv.reader(io.StringIO(b"".join(login(everyone["dialog_moderator"]).get(
        export + "?format=csv").streaming_content).decode("utf-8-sig"))))
    assert "E-post om du vill bli kontaktad" not in rows[0]
    workbook = load_workbook(io.BytesIO(b"".join(login(everyone["moderator_a"]).get(
        export + "?format=xlsx").streaming_content)))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][values[0].index("Något mer du vill säga?")].startswith("'=")


def test_hostile_answers_are_escaped_on_the_results_page(everyone, login, client, survey_a):
    client.post(survey_a.url, {**ANSWER, **HOSTILE})
    html = login(everyone["moderator_a"]).get(reverse("wagtail_dialog_survey_results", args=[survey_a.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_written_answers_are_searchable_in_swedish(everyone, login, client, survey_a):
    client.post(survey_a.url, {**ANSWER, "nagot_mer_du_vill_saga": "Vi behöver fler cyklar här."})
    url = reverse("wagtail_dialog_survey_results", args=[survey_a.pk])
    staff = login(everyone["moderator_a"])
    assert "fler cyklar" in staff.get(url + "?q=cykel").content.decode()
    assert "fler cyklar" not in staff.get(url + "?q=gungor").content.decode()


def test_wagtails_forms_listing_leads_to_our_results(everyone, login, survey_a):
    response = login(everyone["superuser"]).get(reverse("wagtailforms:list_submissions", args=[survey_a.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtail_dialog_survey_results", args=[survey_a.pk])


def test_the_themes_of_the_written_answers_lead_to_the_answers_and_leave_personal_ones_out(
        everyone, login, client, survey_a):
    from django.test import Client as Browser

    for text in ("Fler cyklar vid skolan.", "Min cykel blev stulen.", "Cykeln står i regnet.", "Gungor."):
        Browser().post(survey_a.url, {**ANSWER, "nagot_mer_du_vill_saga": text,
                                      "e_post_om_du_vill_bli_kontaktad": "cykel@example.se"})
    staff = login(everyone["moderator_a"])
    page = BeautifulSoup(staff.get(reverse("wagtail_dialog_survey_themes", args=[survey_a.pk])).content,
                         "html.parser")
    rows = {row.select_one("a").get_text(strip=True): int(row.select("td")[1].get_text(strip=True))
            for row in page.select("table tbody tr")}
    assert any(label.startswith("cyk") and count == 3 for label, count in rows.items()), rows
    assert not {"example", "https", "bild"} & set(rows)  # the email and web address questions are left out
    link = page.select_one("table tbody a")["href"]
    assert link.startswith(reverse("wagtail_dialog_survey_results", args=[survey_a.pk]) + "?q=")
    assert outcome(login(everyone["moderator_b"]).get(reverse("wagtail_dialog_survey_themes", args=[survey_a.pk]))) \
        == "denied"
