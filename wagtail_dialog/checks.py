"""System checks: what a site forgot to set before it takes citizen dialogue live.

Each has an id, a message and a hint (docs/reference/checks.md lists them). The
ones about a production setup hold only with DEBUG off, so a developer's
machine stays quiet; ``manage.py check`` and ``check --deploy`` show them.
Silence one that does not apply with SILENCED_SYSTEM_CHECKS.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from wagtail_dialog.compat import IMMEDIATE_TASK_BACKEND

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", ""}
#: Hosts that stand in for the real one: `wagtail start` writes http://example.com.
PLACEHOLDER_HOSTS = LOCAL_HOSTS | {"example.com", "www.example.com", "example.org", "example.net"}
LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
IMMEDIATE_BACKENDS = {
    IMMEDIATE_TASK_BACKEND,
    "django.tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.immediate.ImmediateBackend",
}
UTC_NAMES = {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Zulu", "Universal"}
DOCS = "See docs/reference/checks.md in wagtail-dialog."


def _production():
    return not settings.DEBUG


@register(Tags.caches)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if _production() and backend in LOCAL_CACHES:
        return [Warning(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each server process keeps to itself: "
            "the contribution rate limit and the moderator alert interval do not hold across processes.",
            hint="Use a shared cache, e.g. Redis: CACHES = {'default': {'BACKEND': "
            "'django.core.cache.backends.redis.RedisCache', 'LOCATION': 'redis://127.0.0.1:6379/0'}}. " + DOCS,
            id="wagtail_dialog.W001",
        )]
    return []


@register()
def check_task_worker(app_configs, **kwargs):
    tasks = getattr(settings, "TASKS", None) or {}
    backend = tasks.get("default", {}).get("BACKEND", IMMEDIATE_TASK_BACKEND)
    if _production() and backend in IMMEDIATE_BACKENDS:
        return [Warning(
            "Background work runs on the immediate task backend: every email (receipts, moderator alerts, "
            "feedback to hundreds of authors) is sent inside the request that causes it, and a slow mail "
            "server makes residents wait.",
            hint="Use a persistent backend with a worker process, e.g. pip install wagtail-dialog[worker], "
            "add 'django_tasks_db' to INSTALLED_APPS, TASKS = {'default': {'BACKEND': "
            "'django_tasks_db.DatabaseBackend'}} and run 'manage.py db_worker'. " + DOCS,
            id="wagtail_dialog.W002",
        )]
    return []


@register()
def check_time_zone(app_configs, **kwargs):
    language = (settings.LANGUAGE_CODE or "").lower()
    if settings.TIME_ZONE in UTC_NAMES and language.split("-")[0] == "sv":
        return [Warning(
            f"TIME_ZONE is {settings.TIME_ZONE!r} on a Swedish site: opening, closing and feedback dates, "
            "and what counts as today, are a day off between midnight in Sweden and midnight UTC.",
            hint="TIME_ZONE = 'Europe/Stockholm' (with USE_TZ = True). " + DOCS,
            id="wagtail_dialog.W003",
        )]
    return []


@register()
def check_admin_base_url(app_configs, **kwargs):
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if _production() and (urlsplit(base_url).hostname or "") in PLACEHOLDER_HOSTS:
        found = f"is {base_url!r}" if base_url else "is not set"
        return [Warning(
            f"WAGTAILADMIN_BASE_URL {found}: the links in moderators' alerts and digests do not lead "
            "to the site's admin.",
            hint="Set WAGTAILADMIN_BASE_URL to the address editors use, e.g. 'https://www.kommun.se'. " + DOCS,
            id="wagtail_dialog.W004",
        )]
    return []


@register()
def check_site_hostname(app_configs, **kwargs):
    # Reads the database: a plain ``manage.py check`` should name what most
    # sites forget, and what breaks every emailed link. Before the first
    # migrate there is no table yet, and then nothing to say.
    if not _production():
        return []
    return _site_hostname_warnings()


def _site_hostname_warnings():
    from wagtail.models import Site

    try:
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    except DatabaseError:  # not migrated yet, or no database to reach
        return []
    if site is None or site.hostname not in LOCAL_HOSTS:
        return []
    return [Warning(
        f"The default Wagtail site's hostname is {site.hostname!r}: links in emails to residents (receipts, "
        "feedback, unsubscribe) and in the open data and feeds point to http://localhost/.",
        hint="Settings → Sites in the admin: give the default site the site's real hostname and port "
        "(443 for https). " + DOCS,
        id="wagtail_dialog.W005",
    )]


@register()
def check_sender_address(app_configs, **kwargs):
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "") or ""
    if parseaddr(sender)[1].lower().endswith("@localhost"):
        return [Warning(
            f"DEFAULT_FROM_EMAIL is {sender!r}: receipts, alerts and feedback to residents are sent from an "
            "address that cannot be answered and that mail servers reject as spam.",
            hint="DEFAULT_FROM_EMAIL = 'Exempelkommun <medborgardialog@kommun.se>'. " + DOCS,
            id="wagtail_dialog.W006",
        )]
    return []


SHARED_CACHE_MIDDLEWARE = "wagtail_dialog.middleware.SharedCacheMiddleware"
#: What the middleware must come before: it undoes the first's Vary: Cookie and
#: answers the second's question (a CSRF token) before it is asked.
MIDDLEWARE_AFTER = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
)


@register()
def check_shared_cache_middleware(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if SHARED_CACHE_MIDDLEWARE not in middleware:
        if getattr(settings, "WAGTAILFRONTENDCACHE", None):
            return [Warning(
                "WAGTAILFRONTENDCACHE names a shared cache, but the dialog pages carry a CSRF token and a cookie, "
                "so the cache cannot keep them.",
                hint=f"Put '{SHARED_CACHE_MIDDLEWARE}' first in MIDDLEWARE. " + DOCS,
                id="wagtail_dialog.W007",
            )]
        return []
    position = middleware.index(SHARED_CACHE_MIDDLEWARE)
    before = [name for name in MIDDLEWARE_AFTER if name in middleware[:position]]
    if before:
        return [Error(
            f"{SHARED_CACHE_MIDDLEWARE} comes after {', '.join(before)}: residents' forms are refused "
            "for want of a CSRF token, or public pages vary on cookies.",
            hint="Put it first in MIDDLEWARE. " + DOCS,
            id="wagtail_dialog.E001",
        )]
    return []
