"""64 residents sign up at once for a meeting of 20 seats on a real server:
gunicorn with several worker processes, PostgreSQL, and Redis as the shared
cache. Exactly 20 hold a seat, 44 wait in the order the server stored them,
nothing is lost and nothing fails; then 5 seat holders cancel at once and
exactly the first 5 waiting are offered seats; seats whose email link is never
clicked go to the next in line when their hour is up.

Needs PostgreSQL and Redis on 127.0.0.1 (skipped without them; CI=true makes a
skip a failure). Bounded: 75 requests, loopback only, timeouts on everything.
WAGTAIL_DIALOG_LOAD_MEETINGS_REDIS picks another Redis database than 11.
"""

import email
import email.policy
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.load.server import fresh_database, gunicorn, needs_postgres_and_redis, run

CLIENTS = 64
SEATS = 20
CANCELLING = 5
CONFIRMING = 5
SIGN_UP = {"name": "", "email": "", "people": "1", "needs_interpretation": "", "needs_access": "",
           "needs_diet": "", "consent": "on", "website": ""}
SETUP = r"""
import django
django.setup()
from tests.factories import make_dialog, make_index, make_meeting
index = make_index(title="Dialoger", slug="last")
dialog = make_dialog(index, title="Lasttest", slug="lasttest")
print(make_meeting(dialog, capacity=%d).url)
""" % SEATS
REGISTRATIONS = r"""
import json
import django
django.setup()
from wagtail_dialog.methods.meetings.seats import Registration
print(json.dumps([[r.pk, r.email, r.state] for r in Registration.objects.order_by("queued_at", "pk")]))
"""
HOUR_LATER = r"""
import datetime
import django
django.setup()
from django.utils import timezone
from wagtail_dialog.methods.meetings import hourly
print(hourly.pass_on_lapsed_seats(now=timezone.now() + datetime.timedelta(minutes=%d)))
"""


@pytest.fixture
def server(tmp_path):
    needs_postgres_and_redis()
    redis_url = os.environ.get("WAGTAIL_DIALOG_LOAD_MEETINGS_REDIS", "redis://127.0.0.1:6379/11")
    env = {**fresh_database("wagtail_dialog_load_meetings", redis_url),
           # Every client comes from 127.0.0.1: to the rate limit they are one.
           "WAGTAIL_DIALOG_RATE_LIMIT": "1000", "WAGTAIL_DIALOG_LOAD_MAIL": str(tmp_path)}
    path = run(SETUP, env)
    with gunicorn(env) as port:
        yield {"origin": f"http://127.0.0.1:{port}", "path": path, "env": env, "mail": tmp_path}


def all_at_once(calls):
    """Send ``calls`` from as many clients, released together; returns the responses."""
    import requests

    start = threading.Barrier(len(calls), timeout=60)

    def one(call):
        with requests.Session() as session:
            start.wait()
            return call(session)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls, timeout=180))


def post(server, path, data):
    url = server["origin"] + path
    # As a browser sends a form from the page itself.
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": server["origin"], "Referer": url}
    return lambda session: session.post(url, data=urlencode(data), headers=headers, allow_redirects=False,
                                        timeout=60)


def registrations(server):
    """[pk, email, state] of every sign-up, in the waiting list's order."""
    return json.loads(run(REGISTRATIONS, server["env"]))


def in_state(rows, *states):
    return [pk for pk, _email, state in rows if state in states]


def emails(server):
    """How many emails each recipient was sent, and the text of the first."""
    sent = {}
    for path in sorted(server["mail"].iterdir()):
        for raw in path.read_bytes().split(b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=email.policy.default)
                count, first = sent.get(str(message["To"]), (0, message.get_body(("plain",)).get_content()))
                sent[str(message["To"])] = (count + 1, first)
    return sent


def told_since(before, after):
    """Those sent an email between the two readings of ``emails``."""
    return sorted(to for to, (count, _first) in after.items() if count > before.get(to, (0, ""))[0])


def test_sixty_four_sign_up_at_once_for_twenty_seats_and_the_line_holds(server):
    import requests

    page = requests.get(server["origin"] + server["path"], timeout=30)
    assert page.status_code == 200
    form = re.search(r'<form[^>]*method="post".*?</form>', page.text, re.S).group(0)
    assert set(SIGN_UP) <= set(re.findall(r'name="([^"]+)"', form)), "the sign-up form has other fields"

    addresses = [f"person{n}@example.se" for n in range(CLIENTS)]
    responses = all_at_once([
        post(server, server["path"], {**SIGN_UP, "name": f"Person {n}", "email": address})
        for n, address in enumerate(addresses)
    ])
    assert [r.status_code for r in responses] == [302] * CLIENTS
    told_waiting = [r.headers["Location"].endswith("?waiting=1#wd-receipt") for r in responses]
    assert told_waiting.count(False) == SEATS

    rows = registrations(server)
    assert sorted(email for _pk, email, _state in rows) == sorted(addresses)
    holding, waiting = in_state(rows, "pending", "confirmed", "offered"), in_state(rows, "waiting")
    assert len(holding) == SEATS and len(waiting) == CLIENTS - SEATS
    # The order they came is the order the server stored them in: every seat
    # holder came before everyone waiting, and the line follows that order.
    assert max(holding) < min(waiting) and [pk for pk, _email, _state in rows] == sorted(holding + waiting)
    # Each was told where they stand, once, with the link to their own sign-up page.
    sent = emails(server)
    assert sorted(sent) == sorted(addresses) and all(count == 1 for count, _first in sent.values())
    address = {pk: address for pk, address, _state in rows}
    link = {pk: re.search(r"/registration/([0-9]+-[A-Za-z0-9_-]+)/", sent[address[pk]][1]).group(1) for pk in address}
    assert all(token.startswith(f"{pk}-") for pk, token in link.items())

    leaving = holding[::4][:CANCELLING]
    responses = all_at_once([post(server, f"{server['path']}registration/{link[pk]}/", {"action": "cancel"})
                             for pk in leaving])
    assert [r.status_code for r in responses] == [200] * CANCELLING
    rows = registrations(server)
    assert in_state(rows, "cancelled") == leaving
    assert in_state(rows, "offered") == waiting[:CANCELLING]
    assert in_state(rows, "waiting") == waiting[CANCELLING:]
    sent, before = emails(server), sent
    assert told_since(before, sent) == sorted(address[pk] for pk in waiting[:CANCELLING])

    # Some press their link's button in time; the others' seats lapse after their hour.
    pending = in_state(rows, "pending")
    confirming = pending[:CONFIRMING]
    responses = all_at_once([post(server, f"{server['path']}registration/{link[pk]}/", {"action": "confirm"})
                             for pk in confirming])
    assert [r.status_code for r in responses] == [200] * CONFIRMING
    assert run(HOUR_LATER % 50, server["env"]).startswith("holds lapsed at 0 meetings")
    assert registrations(server) == [[pk, a, "confirmed" if pk in confirming else s] for pk, a, s in rows]
    sent, before = emails(server), sent
    assert told_since(before, sent) == sorted(address[pk] for pk in confirming)

    run(HOUR_LATER % 61, server["env"])
    rows = registrations(server)
    lapsed = pending[CONFIRMING:]
    next_in_line = waiting[CANCELLING:CANCELLING + len(lapsed)]
    assert in_state(rows, "expired") == lapsed
    assert in_state(rows, "confirmed") == confirming
    assert in_state(rows, "offered") == waiting[:CANCELLING] + next_in_line
    assert in_state(rows, "waiting") == waiting[CANCELLING + len(lapsed):]
    assert len(in_state(rows, "pending", "confirmed", "offered")) == SEATS
    sent, before = emails(server), sent
    assert told_since(before, sent) == sorted(address[pk] for pk in next_in_line)
