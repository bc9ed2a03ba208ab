"""The personal data request screens pass axe at WCAG 2.1 A/AA in a real Chromium:
the search form, the form with an error, the results with earlier requests, the
erase confirmation, the success message and the list of past requests."""

import pytest
from django.urls import reverse

from tests.browser.test_admin_accessibility import settle
from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME
from wagtail_dialog.admin.personal_data import INDEX, RECORDS
from wagtail_dialog.privacy import requests as personal_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_page(admin_page_for, users):
    """A Chromium page logged in as a superuser (who holds the permission)."""
    return admin_page_for(users["superuser"])


@pytest.fixture
def requests_made(dialog_a, dialog_b, users):
    make_contribution(dialog_a, text="Fler bänkar på torget.", name=NAME, email=EMAIL)
    make_contribution(dialog_b, text="Mer ljus i parken.", name=NAME, email=EMAIL)
    personal_data.record_access(EMAIL, users["superuser"], "KS 2026/1")


def no_violations(page, axe_violations):
    page.wait_for_load_state()
    assert page.locator("main").count() == 1
    settle(page)
    assert axe_violations(page) == []


def search(page, live_server, email):
    response = page.goto(live_server.url + reverse(INDEX))
    assert response.status == 200
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=note]").fill("KS 2026/2")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_the_search_form(admin_page, live_server, axe_violations):
    response = admin_page.goto(live_server.url + reverse(INDEX))
    assert response.status == 200
    no_violations(admin_page, axe_violations)


def test_the_form_with_an_error(admin_page, live_server, axe_violations):
    search(admin_page, live_server, "inte-en-adress")
    assert admin_page.locator(".error-message, .w-field__errors").count() > 0
    no_violations(admin_page, axe_violations)


def test_the_results_and_the_erase_confirmation(admin_page, live_server, requests_made, axe_violations):
    search(admin_page, live_server, EMAIL)
    assert admin_page.locator("table.listing").first.locator("tbody tr").count() == 2
    no_violations(admin_page, axe_violations)
    admin_page.locator("button.serious").click()
    admin_page.wait_for_load_state()
    assert admin_page.locator("input[name=mode]").count() == 2
    no_violations(admin_page, axe_violations)
    admin_page.locator("input[name=mode][value=anonymise]").check()
    admin_page.locator("main form button.serious").click()
    admin_page.wait_for_load_state()
    assert admin_page.locator(".messages .success").count() == 1
    no_violations(admin_page, axe_violations)


def test_the_past_requests(admin_page, live_server, requests_made, axe_violations):
    response = admin_page.goto(live_server.url + reverse(RECORDS))
    assert response.status == 200
    assert admin_page.locator("table.listing tbody tr").count() == 1
    no_violations(admin_page, axe_violations)
