"""The index's list of meetings in a real Chromium: no axe violations at WCAG 2.1
AA, no sideways scrolling on a small phone, and all of it without JavaScript."""

import datetime
import os

import pytest
from django.utils import timezone

from tests.browser.pages import visit
from tests.factories import make_dialog, make_meeting
from wagtail_dialog.methods.meetings.seats import Registration

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.timedelta(days=1)


def a_list_of_meetings(dialog_index):
    dialog = make_dialog(dialog_index, "Stadsparken och lekplatsen vid Storgatan")
    full = make_meeting(dialog, "Workshop om lekplatsen", "workshop", starts_in=10 * DAY, kind="workshop",
                        capacity=2)
    Registration.objects.create(meeting=full, state="confirmed", people=2, name="Anna", email="a@example.se")
    make_meeting(dialog, "Dialogcafé om parken", "cafe", starts_in=3 * DAY, capacity=25, step_free="yes",
                 hearing_loop="no", interpretation_by=timezone.localdate() + DAY, meeting_format="hybrid",
                 online_link="https://meet.example.se/x", venue_name="Kulturhusets stora hörsal (Medborgarsalen)")
    make_meeting(dialog, "Inställd vandring", "vandring", starts_in=5 * DAY, kind="walk", cancelled=True)
    make_meeting(dialog, "Hållet café", "hallet", starts_in=-10 * DAY, report_summary="Vi pratade om bänkar.",
                 attendance=23)


@pytest.mark.parametrize("width", [320, 390])
def test_the_list_of_meetings_has_no_axe_violations_and_fits_a_small_phone(page, live_server, dialog_index,
                                                                            axe_violations, width):
    a_list_of_meetings(dialog_index)
    page.set_viewport_size({"width": width, "height": 800})
    visit(page, live_server.url + dialog_index.url + "meetings/")
    assert page.locator("ol.wd-meeting-list > li").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    if os.environ.get("WAGTAIL_DIALOG_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["WAGTAIL_DIALOG_SCREENSHOTS"], f"meetings-{width}.png"),
                        full_page=True)


def test_the_list_of_meetings_works_without_javascript(page_without_js, live_server, dialog_index):
    a_list_of_meetings(dialog_index)
    visit(page_without_js, live_server.url + dialog_index.url)
    page_without_js.get_by_role("link", name="Möten du kan gå på: dialogcaféer, workshoppar och vandringar").click()
    page_without_js.get_by_role("link", name="Dialogcafé om parken").click()
    assert page_without_js.locator("h1").inner_text() == "Dialogcafé om parken"
