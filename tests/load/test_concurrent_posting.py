"""16 clients post at once to a real server: gunicorn with several worker
processes, PostgreSQL, and Redis as the shared cache. Nothing may be lost, and
the per-client rate limit must hold across the workers.

Needs PostgreSQL and Redis on 127.0.0.1 (skipped without them; CI=true makes a
skip a failure). Bounded: 16 clients, a few requests each, loopback only.
"""

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS = 16
WORKERS = 4
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


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(code_or_args, env):
    args = ["-c", code_or_args] if isinstance(code_or_args, str) and "\n" in code_or_args else code_or_args
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.fixture
def server(request):
    if not answers(5432) or not answers(6379):
        pytest.skip("the load test needs PostgreSQL and Redis on 127.0.0.1")
    import psycopg
    import redis

    rate_limit = request.param
    name = "wagtail_dialog_load"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    redis.Redis(host="127.0.0.1", port=6379, db=10).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "WAGTAIL_DIALOG_LOAD_DB": name,
        "WAGTAIL_DIALOG_RATE_LIMIT": str(rate_limit),
        "PYTHONPATH": str(ROOT),
    }
    run(["-m", "django", "migrate", "--no-input", "-v", "0"], env)
    path = run(SETUP, env)
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.wsgi:application", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert time.monotonic() < deadline, "gunicorn did not start"
            assert gunicorn.poll() is None, "gunicorn exited"
            time.sleep(0.3)
        yield {"url": f"http://127.0.0.1:{port}{path}", "env": env}
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)


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
