"""Test-run policy: which databases and browsers must be there.

Outside CI a missing PostgreSQL or Chromium skips those tests with a reason;
with CI=true every such skip fails the run, so a green CI means they ran.
"""

import os
import socket

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


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Wagtail caches site root paths; with a shared cache (Redis) they would
    # outlive each test's rolled-back database and point at pages that are gone.
    from django.core.cache import cache

    cache.clear()
    yield


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
