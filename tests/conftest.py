"""Test-run policy: which databases and browsers must be there.

Outside CI a missing PostgreSQL or Chromium skips those tests with a reason;
with CI=true every such skip fails the run, so a green CI means they ran.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"


def _answers(host, port):
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config):
    if os.environ.get("WAGTAIL_DIALOG_TEST_DB") == "postgres":
        host, port = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGPORT", "5432")
        if not _answers(host, port):
            message = f"PostgreSQL does not answer on {host}:{port}"
            if IN_CI:
                pytest.exit(f"{message}; CI=true requires it.", returncode=1)
            pytest.exit(f"{message}; skipping the PostgreSQL run (CI=true makes this an error).", returncode=0)


EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "example_site"


@pytest.fixture(scope="session")
def example_site_database(tmp_path_factory):
    """``example_site_database(path)`` puts a migrated, empty SQLite database of
    the example site at ``path`` and returns the path as a string.

    Migrating the example site takes a quarter of a minute and five tests each
    need a database of their own: it is migrated once per run and copied.
    """
    template = tmp_path_factory.mktemp("example-site") / "migrated.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example_site.settings", "EXAMPLE_SITE_DB": str(template)}
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=EXAMPLE_SITE,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the example site does not migrate:\n{result.stdout}\n{result.stderr}"

    def copy(path):
        shutil.copyfile(template, path)
        return str(path)

    return copy


@pytest.fixture(scope="session", autouse=True)
def _empty_cache_at_the_start():
    # The Redis database may hold the last run's keys (another database's
    # pages): a module's fixture, built before its first test, must not see them.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Wagtail caches site root paths; with a shared cache (Redis) or the
    # process's own they would outlive each test's rolled-back database and
    # point at pages that are gone.
    from django.core.cache import cache

    cache.clear()
    yield
    # And after: a module's fixture is built before the next test's clear, and
    # must not find the root paths of sites this test made (the order of the
    # files differs from run to run with pytest-xdist).
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in this
    # thread (LocaleMiddleware activates it and nothing deactivates it): every
    # test starts from the site's language instead of the last request's.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} skipped test(s) count as failures.", red=True)
        session.exitstatus = 1


from .factories import *  # noqa: E402,F401,F403  (fixtures)
