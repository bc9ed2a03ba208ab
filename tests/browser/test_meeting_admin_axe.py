"""A meeting's admin screens pass axe at WCAG 2.1 A/AA in a real Chromium: the
meetings listing, the sign-ups with their counts and buttons, the forms (one
with errors) and the printable attendance list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.test_admin_accessibility import check, settle
from tests.factories import make_meeting
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from wagtail_dialog.methods.meetings import seats

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def moderator_page(admin_page_for, users):
    return admin_page_for(users["moderator_a"])


@pytest.fixture
def meeting(dialog_a):
    meeting = make_meeting(dialog_a, capacity=3)
    seats.sign_up(meeting, confirmed=True, name="Anna Andersson", email="anna@example.se", people=2,
                  needs_access="Rullstol")
    seats.sign_up(meeting, name="Bo Berg", email="bo@example.se", people=2)
    make_meeting(dialog_a, title="Vandring förra månaden", slug="vandring", starts_in=-datetime.timedelta(days=30))
    return meeting


@pytest.mark.parametrize("name", ["", "wagtail_dialog_meeting", "wagtail_dialog_meeting_register",
                                  "wagtail_dialog_meeting_message", "wagtail_dialog_meeting_attendance_list"])
def test_the_meeting_screens(moderator_page, live_server, meeting, axe_violations, name):
    url = reverse(name, args=[meeting.pk]) if name else reverse("wagtail_dialog_meetings")
    check(moderator_page, live_server.url + url, axe_violations)


def test_who_came_after_the_start(moderator_page, live_server, meeting, axe_violations):
    type(meeting).objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    check(moderator_page, live_server.url + reverse("wagtail_dialog_meeting_attended", args=[meeting.pk]),
          axe_violations)


def test_the_sign_up_form_with_errors(moderator_page, live_server, meeting, axe_violations):
    moderator_page.goto(live_server.url + reverse("wagtail_dialog_meeting_register", args=[meeting.pk]))
    moderator_page.locator("main form [type=submit]").click()
    moderator_page.wait_for_load_state()
    assert moderator_page.locator(".error-message, .w-field__errors").count() > 0
    settle(moderator_page)
    assert axe_violations(moderator_page) == []
