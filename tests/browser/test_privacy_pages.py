"""The resident's privacy pages in a browser, at phone and desktop width: the
notice on its own page (every email to an author links to it) and the page
that stops the emails or the name, in each of its states. Axe finds nothing,
and nothing scrolls sideways at 320 px."""

import pytest
from wagtail.models import Site

from tests.browser.pages import visit
from tests.factories import make_dialog
from wagtail_dialog.contributions import notifications
from wagtail_dialog.contributions.submission import submit_contribution
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

WIDTHS = [320, 390, 1280]


@pytest.fixture
def dialog(dialog_index):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.controller = "Kommunstyrelsen i Exempelkommun"
    settings.data_protection_contact = "dataskyddsombud@exempelkommun.invalid"
    settings.privacy_notice = '<p>Läs mer på <a href="https://example.se/personuppgifter">kommunens sida</a>.</p>'
    settings.save()
    return make_dialog(dialog_index, "Parken")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_privacy_page(page, live_server, dialog, axe_violations, width):
    page.set_viewport_size({"width": width, "height": 844})
    visit(page, live_server.url + dialog.url + "privacy/")
    assert page.locator("#wd-privacy-more").get_attribute("open") is not None
    assert page.locator("h1").inner_text() == "Dina personuppgifter"
    assert fits(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("require_decision", [False, True], ids=["removed", "kept-in-the-record"])
def test_the_stop_page_in_each_state(page, live_server, dialog, axe_violations, require_decision):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.require_gallring_decision = require_decision
    settings.save()
    contribution = submit_contribution(
        dialog, text="Fler bänkar.", consent_notice_version="1", language="sv",
        name="Gunnel Ek", email="gunnel@example.com", notify=True,
    )
    url = notifications.unsubscribe_url(contribution, dialog).split("://", 1)[1].split("/", 1)[1]
    page.set_viewport_size({"width": 320, "height": 844})
    visit(page, f"{live_server.url}/{url}")
    assert fits(page) and axe_violations(page) == []
    page.click("text=Sluta skicka e-post till mig")
    page.wait_for_load_state()
    assert page.locator("[role=status]").count() == 1
    assert fits(page) and axe_violations(page) == []
    page.click("text=Sluta visa mitt namn")
    page.wait_for_load_state()
    assert "utan ditt namn" in page.locator("[role=status]").inner_text()
    assert fits(page) and axe_violations(page) == []
