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
from wagtail_dialog.dialogs.pages import DialogIndexPage, DialogPage

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


def test_example_site_builds_its_demo_and_serves_it_in_swedish(tmp_path, example_site_database):
    env = {
        **os.environ,
        # pytest-django has set tests.settings for this process; the site needs its own.
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        # Migrated by the fixture, as `make demo` migrates a new database.
        "EXAMPLE_SITE_DB": example_site_database(tmp_path / "demo.sqlite3"),
    }
    run_in_example_site(["manage.py", "load_demo"], env)
    run_in_example_site(["manage.py", "load_demo"], env)  # twice: still one set of content
    run_in_example_site(["manage.py", "check"], env)

    report = json.loads(run_in_example_site(["-c", INSPECT_DEMO], env).strip().splitlines()[-1])

    assert report["counts"] == {"home": 1, "policy": 1, "index": 1}
    assert Counter(report["statuses"]) == {
        # The park's consultation, the travel centre's dialogue with its meetings to come, and the two votes at
        # co-determination: the rural participatory budget and the new school's name.
        "open": 4,
        "decided": 1,
        "feedback-given": 1,
    }
    assert len(report["responses"]) == 3 + 6
    for url, answer in report["responses"].items():
        assert answer == {"status": 200, "swedish": True, "title": True}, url
    assert report["policy_quotes_vara"]
    assert report["admin_login"]


def test_the_production_settings_pass_the_deploy_checks(tmp_path, example_site_database):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is this process's, not production's (async.E001).
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "example_site.production",
        "EXAMPLE_SITE_DB": example_site_database(tmp_path / "production.sqlite3"),
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2rVb9LmN4sKd8WfJ3hTz6YcA1eGu",
        "SITE_HOSTNAME": "dialog.exempelkommun.se",
    }
    run_in_example_site(["manage.py", "migrate", "--no-input", "-v0"], env)
    # Before the default site has its hostname, the checks say so ...
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=EXAMPLE_SITE, env=env,
                            capture_output=True, text=True, timeout=180)
    assert "wagtail_dialog.W005" in result.stdout + result.stderr
    assert [line for line in (result.stdout + result.stderr).splitlines() if "(wagtail_dialog." in line] == [
        line for line in (result.stdout + result.stderr).splitlines() if "(wagtail_dialog.W005)" in line]
    # ... and with it, `check --deploy` finds nothing at all.
    run_in_example_site(["-c", "import django; django.setup(); from wagtail.models import Site; "
                         "Site.objects.filter(is_default_site=True).update(hostname='dialog.exempelkommun.se', "
                         "port=443)"], env)
    output = run_in_example_site(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert "System check identified no issues" in output


# Prints the annual follow-up of the demo year as of the day the demo was
# built for, next to the same figures counted straight from the tables.
ANNUAL_REPORT = r"""
import datetime
import json

import django

django.setup()

from django.db.models import Q

from wagtail_dialog.contributions import Contribution
from wagtail_dialog.followup.evaluation import SelfAssessment, SurveyResponse
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.followup.reports import annual_report

today = datetime.date(2026, 11, 22)
report = annual_report(2026, today)
held = DialogPage.objects.filter(opens_on__year=2026, opens_on__lte=today).filter(
    Q(live=True) | Q(first_published_at__isnull=False))
print(json.dumps({
    "report": {
        "dialogs": sorted(dialog.slug for dialog in report.dialogs),
        "by_level": {str(label): count for label, count in report.by_level if count},
        "by_body": {str(label): count for label, count in report.by_body},
        "by_type": {str(label): count for label, count in report.by_type if count},
        "contributions": report.contributions,
        "published": report.published,
        "by_channel": {str(label): count for label, count in report.by_channel if count},
        "participants": [report.participants, report.dialogs_with_participants],
        "feedback": {timing.value: count for timing, count in report.feedback if count},
        "on_time": [report.feedback_on_time, report.feedback_due, report.feedback_on_time_share],
        "survey_responses": report.survey_responses,
        "understood": {answer.value: count for answer, count in report.survey[0].counts},
        "dialogs_assessed": report.dialogs_assessed,
        "principles": [(title, {r.value: n for r, n in counts if n}) for title, counts in report.self_assessment],
        "promised_only": [dialog.slug for dialog in report.promised_only],
        "still_open": [dialog.slug for dialog in report.dialogs if dialog.still_open],
    },
    "data": {
        "dialogs": sorted(held.values_list("slug", flat=True)),
        "contributions": Contribution.objects.filter(dialog__in=held).exclude(status="spam").count(),
        "published": Contribution.objects.filter(dialog__in=held, status="published").count(),
        "survey_responses": SurveyResponse.objects.filter(dialog__in=held).count(),
        "understood_yes": SurveyResponse.objects.filter(dialog__in=held, understood_influence="yes").count(),
        "assessed": SelfAssessment.objects.filter(dialog__in=held).values("dialog").distinct().count(),
    },
}))
"""


def test_the_annual_follow_up_counts_the_demo_year(tmp_path, example_site_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "EXAMPLE_SITE_DB": example_site_database(tmp_path / "demo.sqlite3"),
    }
    # Built as of a fixed day: the demo's dates are relative to it, so the year's figures are known.
    run_in_example_site(["manage.py", "load_demo", "--today", "2026-11-22"], env)
    found = json.loads(run_in_example_site(["-c", ANNUAL_REPORT], env).strip().splitlines()[-1])
    report, data = found["report"], found["data"]

    # The four open dialogs and the finished one opened in 2026; the information page never opens.
    assert report["dialogs"] == data["dialogs"] == [
        "medborgarbudget-landsbygden", "motesplats-for-unga-ekbacken", "namn-nya-skolan-norrby",
        "park-och-lekplats-norrby", "trygghet-resecentrum",
    ]
    # The example site speaks Swedish.
    assert report["by_level"] == {"Konsultation": 1, "Dialog": 1, "Inflytande": 1, "Medbestämmande": 2}
    assert report["by_body"] == {"Barn- och utbildningsnämnden": 2, "Kommunfullmäktige": 1, "Kommunstyrelsen": 1,
                                 "Samhällsbyggnadsnämnden": 1}
    assert report["by_type"] == {"Medborgardialog": 5}
    assert report["contributions"] == data["contributions"] and report["published"] == data["published"]
    assert sum(report["by_channel"].values()) == report["contributions"]
    assert report["participants"] == [90, 1]  # only the finished dialog counted its participants
    # Ekbacken gave feedback on its promised day; the other four promise it later.
    # The harbour plan's samråd never opened for contributions here, but its
    # promise was three days ago and nothing came: it counts, as overdue.
    assert report["feedback"] == {"on-time": 1, "not-yet-due": 4, "overdue": 1}
    assert report["on_time"] == [1, 2, 50]
    assert report["promised_only"] == ["detaljplan-norra-hamnen"]
    # The open dialogs are counted as held, and said to be still open.
    assert report["still_open"] == ["medborgarbudget-landsbygden", "trygghet-resecentrum", "park-och-lekplats-norrby",
                                    "namn-nya-skolan-norrby"]
    assert report["survey_responses"] == data["survey_responses"] == 8 + 3
    assert report["understood"] == {"yes": 7, "partly": 3, "no": 1, "dont-know": 0}
    assert report["understood"]["yes"] == data["understood_yes"]
    assert report["dialogs_assessed"] == data["assessed"] == 1
    assert report["principles"] == [
        ["Vi tar initiativ till medborgardialog och välkomnar engagemang", {"met": 1}],
        ["Våra medborgardialoger ska vara tillgängliga för alla", {"partly": 1}],
        ["Vi tar ansvar för medborgardialogen", {"mostly": 1}],
        ["Vi återkopplar och utvärderar", {"met": 1}],
    ]
