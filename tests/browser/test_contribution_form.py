"""The contribution form and the published contributions in a real Chromium:
no axe violations at WCAG 2.1 A/AA in any state, and the whole flow without JavaScript."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from tests.browser.pages import visit
from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

pytestmark = pytest.mark.django_db(transaction=True)


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


@pytest.fixture
def open_dialog(dialog_index):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.privacy_notice = (
        '<p>Kommunstyrelsen är personuppgiftsansvarig. Läs mer om <a href="/integritet/">hur vi behandlar '
        "personuppgifter</a>.</p>"
    )
    settings.privacy_notice_version = "2026-1"
    settings.areas = "Centrum\nNorra byn"
    settings.save()
    return make_dialog(dialog_index, "Torget")


def test_the_empty_form_has_no_axe_violations(page, live_server, open_dialog, axe_violations):
    visit(page, live_server.url + open_dialog.url)
    assert page.locator("#wd-contribution-form").is_visible()
    assert page.locator("#id_area").is_visible()
    # The honeypot is out of sight: clipped to a single pixel, and the page does not scroll sideways for it.
    trap = page.locator(".wd-hp")
    box = trap.bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
    assert trap.evaluate("n => getComputedStyle(n).overflow") == "hidden"
    assert page.locator(".wd-hp #id_website").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []


def test_the_form_with_errors_has_no_axe_violations_and_the_summary_gets_focus(
    page, live_server, open_dialog, axe_violations
):
    visit(page, live_server.url + open_dialog.url)
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("#wd-error-summary")
    assert summary.is_visible()
    assert focused_id(page) == "wd-error-summary"
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    # The summary's links lead to the fields.
    page.click('#wd-error-summary a[href="#id_text"]')
    assert focused_id(page) == "id_text"


def test_the_receipt_has_no_axe_violations(page, live_server, open_dialog, axe_violations):
    visit(page, live_server.url + open_dialog.url)
    page.fill("#id_text", "Fler bänkar, tack.")
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    receipt = page.locator("#wd-receipt")
    assert receipt.is_visible()
    assert Contribution.objects.get().reference in receipt.inner_text()
    assert focused_id(page) == "wd-receipt"
    assert axe_violations(page) == []


def test_the_receipt_shows_on_a_dialog_whose_address_has_swedish_letters(page, live_server, dialog_index):
    # Wagtail makes "hur-ska-torget-användas" of the title; the browser sends
    # the path percent-encoded, and the receipt's cookie must match that.
    dialog = make_dialog(dialog_index, "Hur ska torget användas?", slug="hur-ska-torget-användas")
    visit(page, live_server.url + dialog.url)
    assert "anv%C3%A4ndas" in page.url
    page.fill("#id_text", "Fler träd på torget.")
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    assert Contribution.objects.get().reference in page.locator("#wd-receipt").inner_text()
    # Shown once: the cookie is gone, so a reload shows the form alone.
    page.reload()
    assert page.locator("#wd-receipt").count() == 0


def test_the_honeypot_error_has_no_axe_violations(page, live_server, open_dialog, axe_violations):
    visit(page, live_server.url + open_dialog.url)
    page.fill("#id_text", "Köp billiga klockor")
    page.fill("#id_website", "http://spam.example", force=True)
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_website").is_visible()
    assert Contribution.objects.count() == 0
    assert axe_violations(page) == []


def test_the_published_list_with_a_reply_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    dialog = make_dialog(dialog_index, "Torget")
    now = timezone.now()
    make_contribution(
        dialog,
        "Fler bänkar vid fontänen.\nOch mer skugga.",
        status=ContributionStatus.PUBLISHED,
        name="Anna",
        relation="lives",
        area="Centrum",
        reply="Tack! Vi tar med förslaget i beslutsunderlaget.",
        reply_signature="Samhällsbyggnadsnämnden",
        replied_at=now,
    )
    for number in range(25):
        make_contribution(
            dialog, f"Synpunkt {number}", status=ContributionStatus.PUBLISHED,
            submitted_at=now - datetime.timedelta(hours=number + 1),
        )
    visit(page, live_server.url + dialog.url)
    assert page.locator(".wd-reply").count() == 1
    assert page.locator("nav.wd-pagination").is_visible()
    assert axe_violations(page) == []


def test_a_closed_dialog_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    today = datetime.date.today()
    opened, closed = today - datetime.timedelta(days=30), today - datetime.timedelta(days=1)
    dialog = make_dialog(dialog_index, "Torget", opens_on=opened, closes_on=closed)
    make_contribution(dialog, "Sagt i tid", status=ContributionStatus.PUBLISHED)
    visit(page, live_server.url + dialog.url)
    assert page.locator(".wd-notice").is_visible()
    assert page.locator("#wd-contribution-form").count() == 0
    assert axe_violations(page) == []


def test_the_whole_flow_works_without_javascript(page_without_js, live_server, open_dialog):
    page = visit(page_without_js, live_server.url + open_dialog.url)
    # First an error: asking to be told without an email address.
    page.fill("#id_text", "Fler bänkar vid fontänen, tack.")
    page.check("#id_notify")
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_email-error").is_visible()
    assert page.locator("#id_text").input_value() == "Fler bänkar vid fontänen, tack."
    # Then the fix, and everything else the form offers.
    page.fill("#id_name", "Anna")
    page.fill("#id_email", "anna@example.com")
    page.check("#id_relation_1")
    page.select_option("#id_area", "Norra byn")
    page.click("#wd-contribution-form button[type=submit]")
    page.wait_for_load_state()
    receipt = page.locator("#wd-receipt")
    assert receipt.is_visible()
    contribution = Contribution.objects.get()
    assert contribution.reference in receipt.inner_text()
    assert contribution.reference not in page.url
    assert (contribution.name, contribution.email, contribution.notify) == ("Anna", "anna@example.com", True)
    assert (contribution.relation, contribution.area) == ("lives", "Norra byn")
    assert contribution.consent_notice_version == "2026-1"
    assert contribution.language == "sv"
    assert contribution.status == ContributionStatus.PENDING
    # Reloading neither sends again nor shows the receipt again.
    page.reload()
    assert Contribution.objects.count() == 1
    assert page.locator("#wd-receipt").count() == 0


def test_the_pagination_links_work_without_javascript(page_without_js, live_server, dialog_index, settings):
    settings.WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE = 2
    dialog = make_dialog(dialog_index, "Torget")
    now = timezone.now()
    for number in range(3):
        make_contribution(
            dialog, f"Synpunkt {number}", status=ContributionStatus.PUBLISHED,
            submitted_at=now - datetime.timedelta(hours=number),
        )
    page = visit(page_without_js, live_server.url + dialog.url)
    page.click("nav.wd-pagination a[rel=next]")
    page.wait_for_load_state()
    assert page.locator(".wd-contribution__text").all_inner_texts() == ["Synpunkt 2"]
