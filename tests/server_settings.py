"""Settings for a real server under load: the test project on PostgreSQL, with
Redis as the shared cache, in its own database so the suite's stays untouched.
Used by tests/load/ (gunicorn with several workers)."""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "NAME": os.environ.get("WAGTAIL_DIALOG_LOAD_DB", "wagtail_dialog_load"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("WAGTAIL_DIALOG_LOAD_REDIS", "redis://127.0.0.1:6379/10"),
        "KEY_PREFIX": "wagtail-dialog-load",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
WAGTAIL_DIALOG_RATE_LIMIT = int(os.environ.get("WAGTAIL_DIALOG_RATE_LIMIT", "1000"))

# Emails written to files in this folder, so that the load test reads what residents were sent.
_MAIL = os.environ.get("WAGTAIL_DIALOG_LOAD_MAIL")
if _MAIL:
    import django

    _FILEBASED = "django.core.mail.backends.filebased.EmailBackend"
    if django.VERSION >= (6, 1):
        MAILERS = {"default": {"BACKEND": _FILEBASED, "OPTIONS": {"file_path": _MAIL}}}
    else:
        EMAIL_BACKEND = _FILEBASED
        EMAIL_FILE_PATH = _MAIL
