"""System checks name what a site forgot before going live, each once, with a hint."""

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from wagtail.models import Site

from wagtail_dialog import checks
from wagtail_dialog.compat import IMMEDIATE_TASK_BACKEND

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}
IMMEDIATE = {"default": {"BACKEND": IMMEDIATE_TASK_BACKEND}}
WORKER = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#: What `wagtail start` and Django leave a new site with, DEBUG turned off.
FORGOTTEN = dict(
    DEBUG=False,
    CACHES=LOCMEM,
    TASKS=IMMEDIATE,
    TIME_ZONE="UTC",
    LANGUAGE_CODE="sv",
    WAGTAILADMIN_BASE_URL="http://localhost",
    DEFAULT_FROM_EMAIL="webmaster@localhost",
    SILENCED_SYSTEM_CHECKS=[],
)
#: A production site that set everything.
SET = dict(
    DEBUG=False,
    CACHES=REDIS,
    TASKS=WORKER,
    TIME_ZONE="Europe/Stockholm",
    LANGUAGE_CODE="sv",
    WAGTAILADMIN_BASE_URL="https://www.exempelkommun.se",
    DEFAULT_FROM_EMAIL="Exempelkommun <medborgardialog@exempelkommun.se>",
    SILENCED_SYSTEM_CHECKS=[],
)


def ours(messages):
    return sorted(message.id for message in messages if (message.id or "").startswith("wagtail_dialog."))


def set_default_site_hostname(hostname):
    Site.objects.filter(is_default_site=True).update(hostname=hostname)


@pytest.mark.django_db
def test_a_site_that_forgot_everything_hears_of_each_thing_once():
    set_default_site_hostname("localhost")
    with override_settings(**FORGOTTEN):
        found = run_checks()
    assert ours(found) == [f"wagtail_dialog.W00{n}" for n in range(1, 7)]
    for message in found:
        if message.id.startswith("wagtail_dialog."):
            assert message.msg and message.hint and "checks.md" in message.hint


@pytest.mark.django_db
def test_a_production_site_that_set_everything_hears_nothing():
    set_default_site_hostname("www.exempelkommun.se")
    with override_settings(**SET):
        assert ours(run_checks(include_deployment_checks=True)) == []


@pytest.mark.django_db
def test_with_debug_on_only_the_time_zone_and_the_sender_are_named():
    # A developer's machine: local cache, no worker and localhost are right there.
    set_default_site_hostname("localhost")
    with override_settings(**{**FORGOTTEN, "DEBUG": True}):
        assert ours(run_checks()) == ["wagtail_dialog.W003", "wagtail_dialog.W006"]


@pytest.mark.parametrize("backend", [
    "django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache",
])
def test_a_cache_of_its_own_per_process_is_named(backend):
    with override_settings(DEBUG=False, CACHES={"default": {"BACKEND": backend}}):
        [warning] = checks.check_shared_cache(None)
    assert warning.id == "wagtail_dialog.W001" and "rate limit" in warning.msg


def test_a_missing_tasks_setting_is_the_immediate_backend():
    with override_settings(DEBUG=False):
        from django.conf import settings

        del settings.TASKS
        assert [w.id for w in checks.check_task_worker(None)] == ["wagtail_dialog.W002"]


@pytest.mark.parametrize("zone, language, expected", [
    ("UTC", "sv", True), ("Etc/UTC", "sv-se", True), ("UTC", "en", False), ("Europe/Stockholm", "sv", False),
])
def test_utc_is_named_only_on_a_swedish_site(zone, language, expected):
    with override_settings(TIME_ZONE=zone, LANGUAGE_CODE=language):
        assert bool(checks.check_time_zone(None)) is expected


@pytest.mark.parametrize("base_url, expected", [
    ("", True), ("http://localhost:8000", True), ("http://127.0.0.1", True),
    ("http://example.com", True),  # what `wagtail start` writes
    ("https://www.kommun.se", False),
])
def test_the_admin_base_url_must_name_the_real_host(base_url, expected):
    with override_settings(DEBUG=False, WAGTAILADMIN_BASE_URL=base_url):
        assert bool(checks.check_admin_base_url(None)) is expected


def test_an_unset_admin_base_url_is_named():
    with override_settings(DEBUG=False):
        from django.conf import settings

        del settings.WAGTAILADMIN_BASE_URL
        [warning] = checks.check_admin_base_url(None)
    assert "is not set" in warning.msg


@pytest.mark.django_db
def test_the_default_sites_hostname_is_read_from_the_database():
    set_default_site_hostname("localhost")
    with override_settings(DEBUG=False):
        [warning] = checks.check_site_hostname(None)
        assert warning.id == "wagtail_dialog.W005" and "'localhost'" in warning.msg
        set_default_site_hostname("dialog.kommun.se")
        assert checks.check_site_hostname(None) == []


def test_before_the_first_migrate_the_hostname_check_is_silent(monkeypatch):
    from django.db import OperationalError

    def no_table(*args, **kwargs):
        raise OperationalError("no such table: wagtailcore_site")

    monkeypatch.setattr(Site.objects, "filter", no_table)
    with override_settings(DEBUG=False):
        assert checks.check_site_hostname(None) == []


@pytest.mark.parametrize("sender, expected", [
    ("webmaster@localhost", True), ("Kommunen <noreply@LOCALHOST>", True), ("dialog@kommun.se", False),
])
def test_the_sender_address(sender, expected):
    with override_settings(DEFAULT_FROM_EMAIL=sender):
        assert bool(checks.check_sender_address(None)) is expected


MIDDLEWARE_FIRST = checks.SHARED_CACHE_MIDDLEWARE
DJANGO_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


def test_the_shared_cache_middleware_must_come_first():
    with override_settings(MIDDLEWARE=[*DJANGO_MIDDLEWARE, MIDDLEWARE_FIRST]):
        (error,) = checks.check_shared_cache_middleware(None)
    assert error.id == "wagtail_dialog.E001" and "SessionMiddleware" in error.msg and "CsrfViewMiddleware" in error.msg
    with override_settings(MIDDLEWARE=[MIDDLEWARE_FIRST, *DJANGO_MIDDLEWARE]):
        assert checks.check_shared_cache_middleware(None) == []


def test_a_frontend_cache_without_the_middleware_is_named():
    varnish = {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                           "LOCATION": "http://127.0.0.1:6081"}}
    with override_settings(MIDDLEWARE=DJANGO_MIDDLEWARE, WAGTAILFRONTENDCACHE=varnish):
        (warning,) = checks.check_shared_cache_middleware(None)
    assert warning.id == "wagtail_dialog.W007"
    with override_settings(MIDDLEWARE=DJANGO_MIDDLEWARE):  # no shared cache: nothing to say
        assert checks.check_shared_cache_middleware(None) == []
