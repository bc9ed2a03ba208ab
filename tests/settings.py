"""Settings for the test project.

WAGTAIL_DIALOG_TEST_DB=postgres runs the suite on PostgreSQL (127.0.0.1:5432,
database "test" by default); anything else runs it on SQLite in memory. With
CI=true the cache is Redis on 127.0.0.1:6379 (database 9, flushed between
tests; each pytest-xdist worker has a database of its own), as in production.
"""

import os

import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "wagtail_dialog",
    "tests.testapp",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: lets a shared cache keep the public pages (docs/shared-cache.md).
    "wagtail_dialog.middleware.SharedCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.security.SecurityMiddleware",
]

ROOT_URLCONF = "tests.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

if os.environ.get("WAGTAIL_DIALOG_TEST_DB") == "postgres":
    # Wagtail's search index uses PostgreSQL's SearchVectorField, which
    # Django 6.1's system checks refuse without this app (postgres.E005).
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "NAME": os.environ.get("PGDATABASE", "test"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "test.sqlite3")}}


def redis_for_this_worker(url):
    """``url`` with a Redis database of this pytest-xdist worker's own.

    Each test empties the cache (FLUSHDB): two workers on one database would
    empty each other's. The first worker (or a run without workers) keeps the
    database in ``url``; the others take 12, 13, ... (10 and 11 belong to the
    load tests' servers).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw") or 0)
    if index == 0:
        return url
    if index > 4:
        raise ImproperlyConfigured(
            "The tests run on at most 5 workers with Redis (pytest -n 5): Redis has 16 databases.")
    base, _, _database = url.rpartition("/")
    return f"{base}/{11 + index}"


if os.environ.get("CI") == "true" or os.environ.get("WAGTAIL_DIALOG_TEST_REDIS"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_for_this_worker(os.environ.get("WAGTAIL_DIALOG_TEST_REDIS", "redis://127.0.0.1:6379/9")),
            "KEY_PREFIX": "wagtail-dialog-tests",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_I18N = True
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(BASE_DIR, "static_collected")
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
MEDIA_URL = "/media/"
WAGTAIL_SITE_NAME = "Test"
WAGTAILADMIN_BASE_URL = "http://testserver"
DEFAULT_FROM_EMAIL = "Testkommun <medborgardialog@test.invalid>"
# The suite runs in one process on the immediate task backend, and outside CI
# on the local-memory cache: what these two checks warn a production site about.
SILENCED_SYSTEM_CHECKS = ["wagtail_dialog.W001", "wagtail_dialog.W002"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if django.VERSION >= (6, 1):
    # Django 6.1 configures email through MAILERS and deprecates EMAIL_BACKEND;
    # without it every send warns that Django 2028 will have no default mailer.
    # (The test runner swaps it for the local-memory backend either way.)
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
