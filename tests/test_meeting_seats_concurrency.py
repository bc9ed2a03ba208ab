"""Sign-ups and cancellations at once, in threads of one process, each with its
own database connection: the seats and the waiting list keep their order on
SQLite (the suite's default) and on PostgreSQL (WAGTAIL_DIALOG_TEST_DB=postgres).
tests/load/test_meeting_seats.py proves the same on a real server."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.factories import make_meeting
from wagtail_dialog.methods.meetings import seats
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 64
SEATS = 20
CANCELLING = 5


def all_at_once(calls):
    """Run ``calls`` in threads released together; returns their results, or raises the first error."""
    start = threading.Barrier(len(calls), timeout=30)

    def one(call):
        try:
            start.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(one, call) for call in calls]
        return [future.result(timeout=120) for future in futures]


def in_queue_order(**filters):
    return list(Registration.objects.filter(**filters).order_by("queued_at", "pk").values_list("pk", flat=True))


def test_sixty_four_at_once_for_twenty_seats_and_five_cancelling_at_once_keep_the_line(dialog):
    meeting = make_meeting(dialog, capacity=SEATS)

    all_at_once([
        lambda n=n: seats.sign_up(meeting, name=f"Person {n}", email=f"person{n}@example.se", people=1)
        for n in range(CLIENTS)
    ])

    assert Registration.objects.count() == CLIENTS
    holding = in_queue_order(state__in=seats.HOLDING)
    waiting = in_queue_order(state=RegistrationState.WAITING)
    assert len(holding) == SEATS and len(waiting) == CLIENTS - SEATS
    # The order they came is the order they were stored in: all who hold a seat
    # came before all who wait, and the line is that order.
    assert max(holding) < min(waiting)
    assert in_queue_order() == sorted(holding + waiting)

    leaving = Registration.objects.filter(pk__in=holding[::4][:CANCELLING]).select_related("meeting")
    assert all(all_at_once([lambda r=r: seats.cancel(r) for r in leaving]))

    assert in_queue_order(state=RegistrationState.OFFERED) == waiting[:CANCELLING]
    assert in_queue_order(state=RegistrationState.WAITING) == waiting[CANCELLING:]
    assert Registration.objects.filter(state__in=seats.HOLDING).count() == SEATS
