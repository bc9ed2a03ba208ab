"""Meetings in a real Chromium: a resident on a phone without JavaScript signs
up, confirms with the emailed link, cancels, and the first on the waiting list
is offered the seat; axe at zero (WCAG 2.1 A/AA) on the meeting page, its
errors, the sign-up's own page, the confirmation and the report, at phone and
desktop width."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.pages import visit
from tests.factories import make_meeting
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from wagtail_dialog.methods.meetings.seats import Registration

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def cafe(dialog_a):
    meeting = make_meeting(dialog_a, capacity=1, step_free="yes", hearing_loop="yes")
    meeting.save_revision().publish()
    return meeting


def submit(page, selector="button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_up(page, url, name, email):
    visit(page, url)
    page.fill("input[name=name]", name)
    page.fill("input[name=email]", email)
    page.check("input[name=consent]")
    submit(page, "#wd-sign-up button[type=submit]")


def link_to(address):
    message = [m for m in mail.outbox if m.to == [address]][-1]
    return re.search(r"http://\S+?/registration/[\w-]+/", message.body).group(0)


def test_a_resident_signs_up_confirms_and_cancels_on_a_phone_and_the_first_waiting_is_offered_the_seat(
        page_without_js, browser, live_server, dialog_a, cafe):
    page = page_without_js
    page.set_viewport_size(PHONE)
    visit(page, live_server.url + dialog_a.url)
    page.click("#wd-ways a:text('Dialogcafé om parken')")
    assert "1 plats kvar." in page.inner_text("#wd-seats")
    sign_up(page, page.url, "Anna Andersson", "anna@example.se")
    assert "kolla din e-post" in page.inner_text("main") and no_sideways_scroll(page)
    own_page = link_to("anna@example.se")
    assert mail.outbox[0].attachments[0][0] == "meeting.ics"
    visit(page, own_page)
    submit(page, "button[value=confirm]")
    assert "din plats är bekräftad" in page.inner_text("#wd-receipt")

    second = browser.new_context(locale="sv-SE", java_script_enabled=False, viewport=PHONE)
    other = second.new_page()
    visit(other, live_server.url + cafe.url)
    assert "Fullt" in other.inner_text("#wd-seats")
    sign_up(other, live_server.url + cafe.url, "Bo Berg", "bo@example.se")
    assert "Du står på väntelistan" in other.inner_text("main")
    second.close()

    visit(page, own_page)
    submit(page, "button[value=cancel]")
    assert "Din anmälan är avbokad" in page.inner_text("#wd-receipt")
    assert dict(Registration.objects.values_list("email", "state")) == {
        "anna@example.se": "cancelled", "bo@example.se": "offered"}
    assert "En plats har blivit ledig" in [m for m in mail.outbox if m.to == ["bo@example.se"]][-1].subject


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_meeting_its_errors_the_sign_up_page_and_the_report_have_no_axe_violations(
        page, live_server, dialog_a, cafe, axe_violations, viewport):
    page.set_viewport_size(viewport)
    visit(page, live_server.url + cafe.url)
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.fill("input[name=people]", "9")
    submit(page, "#wd-sign-up button[type=submit]")
    assert page.locator("#wd-error-summary a").count() == 4  # name, email, people, consent
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    sign_up(page, live_server.url + cafe.url, "Anna Andersson", "anna@example.se")
    assert axe_violations(page) == []
    visit(page, link_to("anna@example.se"))
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    submit(page, "button[value=confirm]")
    assert axe_violations(page) == [] and no_sideways_scroll(page)

    walk = make_meeting(dialog_a, title="Trygghetsvandring", slug="vandring", kind="walk",
                        starts_in=-datetime.timedelta(days=10), report_summary="Vi gick och pratade om ljuset.",
                        attendance=23)
    walk.save_revision().publish()
    visit(page, live_server.url + walk.url)
    assert "23 personer deltog." in page.inner_text("main")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    assert timezone.now() > walk.ends_at
