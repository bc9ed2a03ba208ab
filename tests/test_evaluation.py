"""Reports → Evaluation: the survey's results per dialog and the staff's
self-assessment against the principles an administrator enters once per site."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.followup.evaluation import EvaluationPrinciple, SelfAssessment, SurveyAnswer, record_response

INDEX = "/admin/reports/evaluation/"
SETTINGS = "/admin/settings/wagtail_dialog/dialogsitesettings/"


def answers(**overrides):
    return {"understood_influence": SurveyAnswer.YES, "accessible": SurveyAnswer.YES,
            "got_feedback": SurveyAnswer.NO, "take_part_again": SurveyAnswer.YES, **overrides}


@pytest.fixture
def principles(dialog_index):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    return [
        EvaluationPrinciple.objects.create(settings=settings, sort_order=position, title=title)
        for position, title in enumerate(["Vi tar initiativ", "Tillgängliga för alla", "Vi återkopplar"])
    ]


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_the_index_lists_the_dialogs_one_edits_with_their_responses(users, login, dialog_a, dialog_b):
    record_response(dialog_a, answers())
    record_response(dialog_a, answers(accessible=SurveyAnswer.NO))
    page = login(users["moderator_a"]).get(INDEX)
    assert page.status_code == 200
    rows = [[cell.get_text(strip=True) for cell in row.select("th, td")]
            for row in BeautifulSoup(page.content, "html.parser").select("tbody tr")]
    assert rows == [["Torget A", "2", "Not yet"]]
    assert "Evaluation" in login(users["moderator_a"]).get("/admin/").content.decode()


def test_the_results_and_suggestions_of_a_dialog(users, login, dialog_a, dialog_b):
    record_response(dialog_a, answers(), improvement="Fler möten <b>på kvällen</b>")
    record_response(dialog_a, answers(accessible=SurveyAnswer.PARTLY))
    record_response(dialog_b, answers(), improvement="Parkens förslag")
    page = login(users["moderator_a"]).get(f"{INDEX}{dialog_a.pk}/")
    soup = BeautifulSoup(page.content, "html.parser")
    section = soup.select_one('section[aria-labelledby="wd-report-survey-1"]')
    assert section.h3.get_text() == "Was it easy for you to take part?"
    rows = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in section.select("tbody tr")]
    assert rows[:2] == [["Yes", "1", "50\xa0%"], ["Partly", "1", "50\xa0%"]]
    assert "Fler möten &lt;b&gt;på kvällen&lt;/b&gt;" in page.content.decode()
    assert "Parkens förslag" not in page.content.decode()


def test_another_dialog_is_not_found(users, login, dialog_a, dialog_b):
    assert login(users["moderator_a"]).get(f"{INDEX}{dialog_b.pk}/").status_code == 404
    assert login(users["resident"]).get(f"{INDEX}{dialog_a.pk}/").status_code == 302
    assert login(None).get(INDEX).status_code == 302


def test_staff_assess_a_dialog_against_each_principle(users, login, dialog_a, principles):
    client = login(users["moderator_a"])
    url = f"{INDEX}{dialog_a.pk}/"
    first, second, third = principles
    page = client.get(url)
    assert [legend.get_text(strip=True) for legend in BeautifulSoup(page.content, "html.parser").select("legend")][:3] \
        == ["Vi tar initiativ", "Tillgängliga för alla", "Vi återkopplar"]
    response = client.post(url, {f"rating_{first.pk}": "met", f"comment_{first.pk}": "Bra start.",
                                 f"rating_{second.pk}": "partly"})
    assert response.status_code == 302
    assert {(a.principle_title, a.rating, a.comment, a.assessed_by) for a in SelfAssessment.objects.all()} == {
        ("Vi tar initiativ", "met", "Bra start.", users["moderator_a"]),
        ("Tillgängliga för alla", "partly", "", users["moderator_a"]),
    }
    # Assessed again: the latest verdict counts, one per principle.
    client.post(url, {f"rating_{first.pk}": "mostly", f"rating_{second.pk}": "partly"})
    assert SelfAssessment.objects.get(principle=first).rating == "mostly"
    assert SelfAssessment.objects.count() == 2
    # Saved again unchanged by someone else: who assessed what, and when, stays.
    before = SelfAssessment.objects.get(principle=second)
    login(users["editor"]).post(url, {f"rating_{first.pk}": "mostly", f"rating_{second.pk}": "partly"})
    after = SelfAssessment.objects.get(principle=second)
    assert (after.assessed_by, after.assessed_at) == (users["moderator_a"], before.assessed_at)
    # "Not assessed" takes a verdict back.
    client.post(url, {f"rating_{first.pk}": "mostly", f"rating_{second.pk}": ""})
    assert not SelfAssessment.objects.filter(principle=second).exists()
    # A principle renamed later leaves what was said about the old one as it was.
    first.title = "Nytt namn"
    first.save()
    first.delete()
    assert SelfAssessment.objects.get(principle_title="Vi tar initiativ").principle is None


def test_a_dialog_outside_every_site_has_no_principles(dialog_a, principles):
    from wagtail.models import Page

    from wagtail_dialog.followup.evaluation import site_principles

    assert list(site_principles(dialog_a)) == principles
    # The site now starts elsewhere in the tree: the dialog is outside it, the principles stay the site's.
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.get_first_root_node().add_child(title="Annan start", slug="annan-start")
    site.save()
    Site.clear_site_root_paths_cache()
    dialog = Page.objects.get(pk=dialog_a.pk).specific
    assert dialog.get_site() is None and EvaluationPrinciple.objects.count() == 3
    assert list(site_principles(dialog)) == []


def test_a_comment_without_an_assessment_is_refused_and_kept(users, login, dialog_a, principles):
    first = principles[0]
    response = login(users["moderator_a"]).post(f"{INDEX}{dialog_a.pk}/", {f"comment_{first.pk}": "Kvar"})
    assert response.status_code == 200 and not SelfAssessment.objects.exists()
    assert "Choose an assessment for the comment to be saved with." in text(response)
    assert "Kvar" in response.content.decode()


def test_without_principles_the_page_says_where_to_enter_them(users, login, dialog_a):
    page = login(users["moderator_a"]).get(f"{INDEX}{dialog_a.pk}/")
    assert f'href="{SETTINGS}"' in page.content.decode()


def test_an_administrator_enters_the_principles_in_the_site_settings(users, login, dialog_index):
    client = login(users["superuser"])
    site = Site.objects.get(is_default_site=True)
    url = f"{SETTINGS}{site.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Principles for evaluation" in page.content.decode()
    soup = BeautifulSoup(page.content, "html.parser")
    form = soup.select_one("form[method=post]")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            option = field.select_one("option[selected]") or field.select_one("option")
            data[field["name"]] = option["value"] if option else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
        elif field.name == "textarea":
            data[field["name"]] = field.get_text()
        else:
            data[field["name"]] = field.get("value", "")
    prefix = "evaluation_principles"
    data.update({
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-title": "Vi tar initiativ", f"{prefix}-0-explanation": "", f"{prefix}-0-ORDER": "1",
        f"{prefix}-1-title": "Vi återkopplar", f"{prefix}-1-explanation": "Alltid.", f"{prefix}-1-ORDER": "2",
    })
    response = client.post(url, data)
    assert response.status_code == 302, text(response)[:2000]
    assert list(EvaluationPrinciple.objects.order_by("sort_order").values_list("title", flat=True)) == [
        "Vi tar initiativ", "Vi återkopplar"]


def test_a_dialog_pages_actions_lead_to_its_evaluation(users, login, dialog_index, dialog_a, dialog_b):
    url = f'href="{INDEX}{dialog_a.pk}/"'
    assert url in login(users["editor"]).get(f"/admin/pages/{dialog_a.pk}/edit/").content.decode()
    listing = login(users["editor"]).get(f"/admin/pages/{dialog_index.pk}/").content.decode()
    assert url in listing and f'href="{INDEX}{dialog_b.pk}/"' in listing
    # Not for other pages.
    assert f'href="{INDEX}{dialog_index.pk}/"' not in login(users["superuser"]).get(
        f"/admin/pages/{dialog_index.pk}/edit/").content.decode()


@pytest.mark.parametrize("counts, expected", [
    ([1, 1, 1], [34, 33, 33]),          # rounded alone: 33 + 33 + 33 = 99
    ([1, 1, 1, 1, 1, 1, 1], [15, 15, 14, 14, 14, 14, 14]),
    ([2, 1, 0, 0], [67, 33, 0, 0]),
    ([5, 3, 0, 0], [63, 37, 0, 0]),     # 62.5 / 37.5: a tie goes up on the larger count
])
def test_a_questions_percentages_add_up_to_100(counts, expected):
    from wagtail_dialog.followup.charts import whole_percentages

    assert whole_percentages(counts, sum(counts)) == expected
    assert sum(expected) == 100


def test_shares_of_a_total_they_do_not_make_up_are_rounded_alone():
    from wagtail_dialog.followup.charts import whole_percentages

    assert whole_percentages([1, 1], 3) == [33, 33]
    assert whole_percentages([1, 2], 0) == [None, None]
