import datetime
import itertools

import pytest

from tests.factories import make_dialog
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.status import DialogStatus, status_filter, status_of

TODAY = datetime.date(2026, 6, 15)
PAST = TODAY - datetime.timedelta(days=5)
FUTURE = TODAY + datetime.timedelta(days=5)


class Dates:
    def __init__(self, opens_on=None, closes_on=None, decided_on=None, feedback_published_on=None):
        self.opens_on = opens_on
        self.closes_on = closes_on
        self.decided_on = decided_on
        self.feedback_published_on = feedback_published_on


def test_a_dialog_that_has_not_opened_is_upcoming():
    assert status_of(Dates(opens_on=FUTURE, closes_on=FUTURE), TODAY) == DialogStatus.UPCOMING


def test_a_dialog_without_dates_is_upcoming():
    assert status_of(Dates(), TODAY) == DialogStatus.UPCOMING


def test_a_dialog_is_open_from_its_opening_day_through_its_closing_day():
    assert status_of(Dates(opens_on=TODAY, closes_on=FUTURE), TODAY) == DialogStatus.OPEN
    assert status_of(Dates(opens_on=PAST, closes_on=TODAY), TODAY) == DialogStatus.OPEN
    assert status_of(Dates(opens_on=PAST), TODAY) == DialogStatus.OPEN


def test_a_dialog_past_its_closing_day_is_closed_until_decided():
    assert status_of(Dates(opens_on=PAST, closes_on=TODAY - datetime.timedelta(days=1)), TODAY) == DialogStatus.CLOSED


def test_a_decision_dated_in_the_future_does_not_count_yet():
    assert status_of(Dates(opens_on=PAST, closes_on=PAST, decided_on=FUTURE), TODAY) == DialogStatus.CLOSED
    assert status_of(Dates(opens_on=PAST, closes_on=PAST, decided_on=TODAY), TODAY) == DialogStatus.DECIDED


def test_published_feedback_is_the_last_status():
    dates = Dates(opens_on=PAST, closes_on=PAST, decided_on=PAST, feedback_published_on=PAST)
    assert status_of(dates, TODAY) == DialogStatus.FEEDBACK_GIVEN


CHOICES = (None, PAST, TODAY, FUTURE)


@pytest.mark.django_db
def test_the_database_filter_agrees_with_the_page_for_every_combination_of_dates(dialog_index):
    expected = {}
    for n, (opens, closes, decided, feedback) in enumerate(itertools.product(CHOICES, repeat=4)):
        if opens and closes and closes < opens:
            continue
        page = make_dialog(
            dialog_index,
            title=f"D{n}",
            opens_on=opens,
            closes_on=closes,
            decided_on=decided,
            feedback_published_on=feedback,
            participation_effect="Effekt" if feedback else "",
        )
        expected[page.pk] = status_of(page, TODAY)
    assert set(expected.values()) == set(DialogStatus)
    for status in DialogStatus:
        found = set(DialogPage.objects.filter(status_filter(status, TODAY)).values_list("pk", flat=True))
        assert found == {pk for pk, value in expected.items() if value == status}, status
