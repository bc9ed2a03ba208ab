"""The example site migrates, loads its demo twice, passes Django's checks and
serves every demo page in Swedish.

It runs in subprocesses with the example site's own settings and a temporary
SQLite file, so the test project's settings never need the site's apps.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "example_site"

# Runs inside the example site (cwd example_site, its settings): prints one
# JSON line about the demo content and how each page answers.
INSPECT_DEMO = r"""
import json

import django

django.setup()

from django.test import Client
from django.test.utils import setup_test_environment

from home.models import HomePage, PolicyPage
from wagtail_dialog.pages import DialogIndexPage, DialogPage

setup_test_environment()
client = Client()
pages = [*HomePage.objects.live(), *PolicyPage.objects.live(), *DialogIndexPage.objects.live()]
dialogs = list(DialogPage.objects.live().specific())
responses = {}
for page in [*pages, *dialogs]:
    response = client.get(page.url)
    html = response.content.decode()
    responses[page.url] = {
        "status": response.status_code,
        "swedish": '<html lang="sv"' in html,
        "title": page.title in html,
    }
policy = PolicyPage.objects.live().first()
print(json.dumps({
    "counts": {
        "home": HomePage.objects.count(),
        "policy": PolicyPage.objects.count(),
        "index": DialogIndexPage.objects.count(),
    },
    "statuses": [str(dialog.status.value) for dialog in dialogs],
    "responses": responses,
    "policy_quotes_vara": (
        "Vi tar initiativ till medborgardialog och välkomnar engagemang" in client.get(policy.url).content.decode()
    ),
    "admin_login": client.login(username="admin", password="exempelkommun"),
}))
"""


def run_in_example_site(args, env):
    result = subprocess.run(
        [sys.executable, *args], cwd=EXAMPLE_SITE, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, f"{' '.join(args[:3])} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_example_site_builds_its_demo_and_serves_it_in_swedish(tmp_path):
    env = {
        **os.environ,
        # pytest-django has set tests.settings for this process; the site needs its own.
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": str(tmp_path / "demo.sqlite3"),
    }
    run_in_example_site(["manage.py", "migrate", "--no-input"], env)
    run_in_example_site(["manage.py", "load_demo"], env)
    run_in_example_site(["manage.py", "load_demo"], env)  # twice: still one set of content
    run_in_example_site(["manage.py", "check"], env)

    report = json.loads(run_in_example_site(["-c", INSPECT_DEMO], env).strip().splitlines()[-1])

    assert report["counts"] == {"home": 1, "policy": 1, "index": 1}
    assert Counter(report["statuses"]) == {
        "upcoming": 1,
        "open": 1,
        "closed": 1,
        "decided": 1,
        "feedback-given": 1,
    }
    assert len(report["responses"]) == 3 + 5
    for url, answer in report["responses"].items():
        assert answer == {"status": 200, "swedish": True, "title": True}, url
    assert report["policy_quotes_vara"]
    assert report["admin_login"]
