"""16 clients cast 2,000 ballots on a real server (gunicorn with several worker processes,
PostgreSQL, Redis as the shared cache), with 100 codes each used 20 times, by several clients at
once: every cast is answered with a receipt, nothing fails, each code counts exactly once (with
the choice of one of the ballots cast with it, the last to commit), and the count equals an
independent count of the stored ballots.

Needs PostgreSQL and Redis on 127.0.0.1 (skipped without them; CI=true makes a skip a failure).
Bounded: 2,000 requests, loopback only, timeouts on everything. WAGTAIL_DIALOG_LOAD_VOTES_REDIS
picks another Redis database than 12.
"""

import json
import os
import queue
import random
import re
import threading
import time
from collections import defaultdict
from urllib.parse import urlencode

import pytest

from tests.load.server import fresh_database, gunicorn, needs_postgres_and_redis, run

CLIENTS = 16
CODES = 100
BALLOTS = 2000
SETUP = r"""
import json
import django
django.setup()
from tests.factories import make_dialog, make_index, make_vote
from wagtail_dialog.methods.votes import codes
index = make_index(title="Dialoger", slug="last")
dialog = make_dialog(index, title="Lasttest", slug="lasttest")
vote = make_vote(dialog, method="one", budget=None)
_, plain = codes.make_batch(vote, "Lasttest", %d)
print(json.dumps({"path": vote.url, "vote": vote.pk, "codes": plain,
                  "options": [option.pk for option in vote.options.order_by("sort_order")]}))
""" % CODES
STORED = r"""
import json
import django
django.setup()
from django.db import connection
from wagtail_dialog.methods.votes import tally
from wagtail_dialog.methods.votes.pages import VotePage
vote = VotePage.objects.get(pk=%d)
with connection.cursor() as cursor:
    cursor.execute("SELECT b.receipt, c.option_id FROM wagtail_dialog_ballot b JOIN wagtail_dialog_ballotchoice c "
                   "ON c.ballot_id = b.id WHERE b.vote_id = %%s", [vote.pk])
    stored = cursor.fetchall()
count = tally.count(vote)
print(json.dumps({"stored": stored, "ballots": count.ballots,
                  "votes": {str(result.option.pk): result.votes for result in count.options}}))
"""


def receipt_in(cookie):
    """The receipt code in the signed cookie (the server signs with the test settings' SECRET_KEY)."""
    from django.conf import settings
    from django.core import signing

    if not cookie:
        return None
    return signing.loads(cookie.strip('"'), salt="wagtail_dialog.methods.votes.receipt",
                         key=settings.SECRET_KEY)["r"]


@pytest.fixture
def server():
    needs_postgres_and_redis()
    redis_url = os.environ.get("WAGTAIL_DIALOG_LOAD_VOTES_REDIS", "redis://127.0.0.1:6379/12")
    env = fresh_database("wagtail_dialog_load_votes", redis_url)
    setup = json.loads(run(SETUP, env))
    with gunicorn(env) as port:
        yield {"origin": f"http://127.0.0.1:{port}", "env": env, **setup}


def test_two_thousand_ballots_from_sixteen_clients_each_code_counts_once(server):
    import requests

    url = f"{server['origin']}{server['path']}ballot/"
    page = requests.get(url, timeout=30)
    assert page.status_code == 200
    assert {"options", "code", "eligible", "order", "action"} <= set(re.findall(r'name="([^"]+)"', page.text))

    rng = random.Random(2026)
    casts = [(server["codes"][n % CODES], rng.choice(server["options"])) for n in range(BALLOTS)]
    rng.shuffle(casts)
    work = queue.Queue()
    for cast in casts:
        work.put(cast)
    answered, failures = [], []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS, timeout=60)
    # As a browser sends the form from the page itself.
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": server["origin"], "Referer": url}

    def client():
        with requests.Session() as session:
            start.wait()
            while True:
                try:
                    code, option = work.get_nowait()
                except queue.Empty:
                    return
                data = {"options": option, "code": code, "eligible": "on", "order": "1", "action": "cast",
                        "website": ""}
                response = session.post(url, data=urlencode(data), headers=headers, allow_redirects=False,
                                        timeout=60)
                # The receipt comes in a cookie for the receipt's page, never in the address.
                found = receipt_in(response.cookies.get("wagtail_dialog_vote_receipt"))
                with lock:
                    if response.status_code != 302 or not found:
                        failures.append(response.status_code)
                    else:
                        answered.append((code, option, found))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    took = time.monotonic() - began
    # For docs/benchmarks.md ("Votes"): seen with pytest -s.
    print(f"\n{BALLOTS} ballots from {CLIENTS} clients in {took:.1f} s: {BALLOTS / took:.0f} a second")
    assert failures == [] and len(answered) == BALLOTS
    assert len({receipt for _code, _option, receipt in answered}) == BALLOTS

    found = json.loads(run(STORED % server["vote"], server["env"]))
    stored = {receipt: option for receipt, option in found["stored"]}
    # One ballot per code, each one of those cast with it, with that cast's choice.
    assert len(stored) == found["ballots"] == CODES
    per_code = defaultdict(list)
    for code, option, receipt in answered:
        if receipt in stored:
            per_code[code].append(receipt)
            assert stored[receipt] == option
    assert sorted(per_code) == sorted(server["codes"]) and all(len(r) == 1 for r in per_code.values())
    # The count equals an independent count of the stored ballots.
    independent = defaultdict(int)
    for option in stored.values():
        independent[str(option)] += 1
    assert {option: n for option, n in found["votes"].items() if n} == dict(independent)
