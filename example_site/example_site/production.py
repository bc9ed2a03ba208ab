"""The example site with the values a municipality sets when it goes live.

What each value is for is in docs/installation.md ("Production"); ``manage.py
check --deploy`` with these settings names nothing (tests/test_example_site.py).
Secrets and addresses come from the environment:

    DJANGO_SETTINGS_MODULE=example_site.production
    DJANGO_SECRET_KEY=...            (required)
    SITE_HOSTNAME=dialog.exempelkommun.se
    REDIS_URL=redis://127.0.0.1:6379/0
    SMTP_HOST=smtp.exempelkommun.se  SMTP_PORT=587

and the default Wagtail site (Settings → Sites) gets SITE_HOSTNAME, port 443.
The database stays the example's SQLite file; point DATABASES at PostgreSQL
for a real site.
"""

import os

import django

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
HOSTNAME = os.environ.get("SITE_HOSTNAME", "dialog.exempelkommun.se")
ALLOWED_HOSTS = [HOSTNAME]

# Links in moderators' emails lead here.
WAGTAILADMIN_BASE_URL = f"https://{HOSTNAME}"
# Replies from residents reach a real mailbox.
DEFAULT_FROM_EMAIL = "Exempelkommun <medborgardialog@exempelkommun.se>"
SERVER_EMAIL = "webbredaktion@exempelkommun.se"
# Dates in Swedish time (the demo's settings already say so).
TIME_ZONE = "Europe/Stockholm"

# The rate limit and alert interval hold across every server process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
}

# Emails go out from a worker process (manage.py db_worker), not the request.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

_SMTP = {"host": os.environ.get("SMTP_HOST", "localhost"), "port": int(os.environ.get("SMTP_PORT", "587")),
         "use_tls": True}
if django.VERSION >= (6, 1):
    # Django 6.1 configures email in MAILERS; EMAIL_* settings are deprecated there.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP}}
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS = _SMTP["host"], _SMTP["port"], _SMTP["use_tls"]

# HTTPS only, behind the municipality's proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
