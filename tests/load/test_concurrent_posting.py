"""16 clients post at once to a real server: gunicorn with several worker
processes, PostgreSQL, and Redis as the shared cache. Nothing may be lost, and
the per-client rate limit must hold across the workers.

Needs PostgreSQL and Redis on 127.0.0.1 (skipped without them; CI=true makes a
skip a failure). Bounded: 16 clients, a few requests each, loopback only.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.load.server import fresh_database, gunicorn, needs_postgres_and_redis, run

CLIENTS = 16
SETUP = r"""
import django
django.setup()
from tests.factories import make_dialog, make_index
from wagtail_dialog.contributions import Contribution
index = make_index(title="Dialoger", slug="last")
dialog = make_dialog(index, title="Lasttest", slug="lasttest")
print(dialog.url)
"""
COUNT = r"""
import django
django.setup()
from wagtail_dialog.contributions import Contribution
print(Contribution.objects.count(), len({c.reference for c in Contribution.objects.all()}))
"""


@pytest.fixture
def server(request):
    needs_postgres_and_redis()
    env = {**fresh_database("wagtail_dialog_load", "redis://127.0.0.1:6379/10"),
           "WAGTAIL_DIALOG_RATE_LIMIT": str(request.param)}
    path = run(SETUP, env)
    with gunicorn(env) as port:
        yield {"url": f"http://127.0.0.1:{port}{path}", "env": env}


def form_fields(html):
    """The contribution form's fields, filled the way a resident would."""
    form = re.search(r'<form[^>]*id="wd-contribution-form".*?</form>', html, re.S)
    assert form, "no contribution form on the page"
    form = form.group(0)
    data = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        name = name.group(1)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        if kind == "hidden" and value:
            data[name] = value.group(1)
        elif kind == "checkbox" and "consent" in name:
            data[name] = "on"
    textarea = re.search(r'<textarea[^>]*name="([^"]+)"', form)
    data[textarea.group(1)] = "Synpunkt"
    return data


def post_once(url, number):
    import requests

    session = requests.Session()
    page = session.get(url, timeout=30)
    data = form_fields(page.text)
    text_field = next(key for key, value in data.items() if value == "Synpunkt")
    data[text_field] = f"Synpunkt nummer {number} från en samtidig klient."
    response = session.post(
        url, data=urlencode(data), headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": url},
        allow_redirects=False, timeout=30,
    )
    return response.status_code


def fire(url, count):
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return list(pool.map(lambda n: post_once(url, n), range(count)))


@pytest.mark.parametrize("server", [1000], indirect=True)
def test_sixteen_clients_posting_at_once_lose_nothing(server):
    statuses = fire(server["url"], CLIENTS * 3)
    assert statuses.count(302) == CLIENTS * 3, statuses
    count, unique = map(int, run(COUNT, server["env"]).split())
    assert count == unique == CLIENTS * 3


@pytest.mark.parametrize("server", [5], indirect=True)
def test_the_rate_limit_holds_across_worker_processes(server):
    # All clients come from 127.0.0.1: to the server they are one client, so
    # across all four workers exactly five posts may pass.
    statuses = fire(server["url"], CLIENTS)
    assert statuses.count(302) == 5, statuses
    assert statuses.count(429) == CLIENTS - 5, statuses
    count, _ = map(int, run(COUNT, server["env"]).split())
    assert count == 5
