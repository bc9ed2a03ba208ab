"""The moderators' screens pass axe at WCAG 2.1 A/AA in a real Chromium:
the inbox listing (with rows, filtered to nothing, with personal data), a
contribution's page, the register form with errors, the history and the
dashboard with the pending panel. Moderators are staff of a public authority;
the admin they work in falls under the same accessibility law as the public site.
"""

import pytest
from django.urls import reverse

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import bulk_url
from wagtail_dialog.contributions import Channel, moderation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def moderator_page(admin_page_for, users):
    """A Chromium page logged in as the moderator of dialog A (who may see personal data)."""
    return admin_page_for(users["moderator_a"])


@pytest.fixture
def inbox(dialog_a, users):
    moderator = users["moderator_a"]
    pending = make_contribution(dialog_a, text="Fler bänkar vid torget, tack.", name="Anna", email="anna@example.com")
    published = make_contribution(dialog_a, text="Belysningen vid busshållplatsen.", channel=Channel.LETTER)
    moderation.approve(published, moderator)
    moderation.reply(published, moderator, "Tack, vi ser över belysningen.", "Gatukontoret")
    moderation.set_tags(published, moderator, ["belysning", "trygghet"])
    rejected = make_contribution(dialog_a, text="Reklam för en bilfirma.")
    moderation.reject(rejected, moderator, "advertising", "Reklam publiceras inte.")
    return {"pending": pending, "published": published, "rejected": rejected}


def settle(page):
    """Wait for the admin's fade-ins: axe would measure the contrast of colours in
    between. Long decorative loops (the help badge pulses for 25 s) are not waited for."""
    page.wait_for_function(
        "document.getAnimations().every(animation => animation.playState !== 'running'"
        " || animation.effect.getComputedTiming().endTime > 2000)"
    )


def check(page, url, axe_violations):
    response = page.goto(url)
    assert response.status == 200, url
    assert page.locator("main").count() == 1
    settle(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "query", ["", "?status=pending", "?q=finns-inte-alls", "?ordering=submitted_at&channel=letter&tag=belysning"]
)
def test_the_inbox_listing(moderator_page, live_server, inbox, axe_violations, query):
    check(moderator_page, live_server.url + reverse("wagtail_dialog_contributions:index") + query, axe_violations)


@pytest.mark.parametrize("which", ["pending", "published", "rejected"])
def test_a_contribution_page(moderator_page, live_server, inbox, axe_violations, which):
    url = reverse("wagtail_dialog_contributions:edit", args=[inbox[which].pk])
    check(moderator_page, live_server.url + url, axe_violations)


def test_the_history(moderator_page, live_server, inbox, axe_violations):
    url = reverse("wagtail_dialog_contributions:history", args=[inbox["published"].pk])
    check(moderator_page, live_server.url + url, axe_violations)


def test_the_register_form_with_errors(moderator_page, live_server, inbox, axe_violations):
    moderator_page.goto(live_server.url + reverse("wagtail_dialog_contributions:add"))
    moderator_page.locator("form [type=submit]").last.click()
    moderator_page.wait_for_load_state()
    assert moderator_page.locator(".error-message, .w-field__errors").count() > 0
    settle(moderator_page)
    assert axe_violations(moderator_page) == []


def test_the_dashboard_with_the_pending_panel(moderator_page, live_server, inbox, axe_violations):
    check(moderator_page, live_server.url + reverse("wagtailadmin_home"), axe_violations)
    assert moderator_page.locator("text=Torget A").count() >= 1


@pytest.mark.parametrize("action", ["approve", "reject", "tag"])
def test_the_bulk_action_confirmations(moderator_page, live_server, inbox, axe_violations, action):
    check(moderator_page, live_server.url + bulk_url(action, inbox["pending"], inbox["rejected"]), axe_violations)


def test_the_tag_field_input_is_labelled(moderator_page, live_server, inbox):
    url = reverse("wagtail_dialog_contributions:edit", args=[inbox["published"].pk])
    moderator_page.goto(live_server.url + url)
    tag_input = moderator_page.locator("ul.tagit li.tagit-new input")
    tag_input.wait_for()
    # The accessible name is the field's label, as for every other field.
    assert moderator_page.get_by_role("textbox", name="Taggar").count() == 1
    assert tag_input.get_attribute("aria-labelledby")


def test_the_themes_pages(moderator_page, live_server, inbox, axe_violations, dialog_a):
    for text in ("Fler gungor i parken", "Gungorna i parken är trasiga"):
        make_contribution(dialog_a, text=text)
    check(moderator_page, live_server.url + reverse("wagtail_dialog_themes_index"), axe_violations)
    check(moderator_page, live_server.url + reverse("wagtail_dialog_themes", args=[dialog_a.pk]), axe_violations)
    assert moderator_page.locator("table.listing a", has_text="parken").count() == 1


def test_the_inbox_search_with_counts(moderator_page, live_server, inbox, axe_violations):
    check(moderator_page, live_server.url + reverse("wagtail_dialog_contributions:index") + "?q=belysning",
          axe_violations)


def test_the_feedback_panel_and_report(moderator_page, live_server, inbox, axe_violations, dialog_a):
    import datetime

    from django.utils import timezone

    from wagtail_dialog.dialogs.pages import DialogPage

    DialogPage.objects.filter(pk=dialog_a.pk).update(feedback_due_on=timezone.localdate() - datetime.timedelta(days=2))
    check(moderator_page, live_server.url + "/admin/", axe_violations)
    assert moderator_page.locator("#wagtail-dialog-feedback-due-section").is_visible()
    check(moderator_page, live_server.url + "/admin/reports/promised-feedback/", axe_violations)
    assert moderator_page.locator("table.listing tbody tr").count() == 1


def test_the_evaluation_and_annual_follow_up(moderator_page, live_server, inbox, axe_violations, dialog_a):
    from wagtail.models import Site

    from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
    from wagtail_dialog.followup.evaluation import EvaluationPrinciple, SurveyAnswer, record_response

    settings_ = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    EvaluationPrinciple.objects.create(settings=settings_, sort_order=0, title="Vi tar initiativ",
                                       explanation="Medborgardialog ska alltid övervägas.")
    record_response(dialog_a, {"understood_influence": SurveyAnswer.YES, "accessible": SurveyAnswer.PARTLY,
                               "got_feedback": SurveyAnswer.NO, "take_part_again": SurveyAnswer.YES},
                    improvement="Fler möten på kvällen.")
    check(moderator_page, live_server.url + reverse("wagtail_dialog_evaluation_index"), axe_violations)
    check(moderator_page, live_server.url + reverse("wagtail_dialog_evaluation", args=[dialog_a.pk]), axe_violations)
    # A comment without an assessment: the form comes back with its error.
    moderator_page.fill("main textarea", "Bra start.")
    moderator_page.click("main form button[type=submit]")
    moderator_page.wait_for_load_state()
    settle(moderator_page)
    assert moderator_page.locator(".error-message").count() == 1
    assert axe_violations(moderator_page) == []
    check(moderator_page, live_server.url + reverse("wagtail_dialog_annual_report"), axe_violations)
    year = dialog_a.opens_on.year
    check(moderator_page, live_server.url + reverse("wagtail_dialog_annual_report_print", args=[year]), axe_violations)


@pytest.mark.parametrize("language, name", [("sv", "Synpunkter (99+)"), ("en", "Contributions (99+)")])
def test_the_menu_count_fits_the_sidebar(admin_page_for, users, live_server, dialog_a, language, name):
    from wagtail.users.models import UserProfile

    from wagtail_dialog.contributions import Contribution

    moderator = users["moderator_a"]
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = language
    profile.save()
    Contribution.objects.bulk_create(Contribution(dialog=dialog_a, text="x", reference=f"M{n}") for n in range(100))
    page = admin_page_for(moderator)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(live_server.url + reverse("wagtailadmin_home"))
    link = page.locator("a.sidebar-menu-item__link", has_text=name)
    link.wait_for()
    # The whole label shows: Wagtail's sidebar cuts a longer one off with an ellipsis.
    label = link.locator(".menuitem-label")
    assert label.inner_text() == name
    assert label.evaluate("element => element.scrollWidth <= element.clientWidth")
    # A screen reader hears what the number is.
    waiting = {"sv": "väntar på granskning", "en": "waiting for moderation"}[language]
    assert link.get_attribute("aria-label") == name.replace(")", f" {waiting})")


def test_the_archive_export_page_and_a_download(moderator_page, live_server, inbox, axe_violations, dialog_a):
    url = live_server.url + reverse("wagtail_dialog_archive", args=[dialog_a.pk])
    check(moderator_page, url, axe_violations)
    with moderator_page.expect_download() as download_info:
        moderator_page.get_by_role("button", name="Ladda ner PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("arkiv-torget-a-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    # The export taken is listed, and the page with its table still passes.
    check(moderator_page, url, axe_violations)
    assert moderator_page.locator("table.listing tbody tr").count() == 1
