"""The test project as a production site runs it: a persistent task backend
(django-tasks-db) whose worker process sends the emails, and emails written to
files (WAGTAIL_DIALOG_WORKER_MAIL) so the test can read what the worker sent.
Its own database: a SQLite file (WAGTAIL_DIALOG_WORKER_DB), or a PostgreSQL
database of that name when WAGTAIL_DIALOG_TEST_DB=postgres. Used by tests/worker/.
"""

import os

import django

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["WAGTAIL_DIALOG_WORKER_DB"]}}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["WAGTAIL_DIALOG_WORKER_DB"]}}

# Each process its own cache is right here: only the request process counts.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_FILEBASED = "django.core.mail.backends.filebased.EmailBackend"
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _FILEBASED, "OPTIONS": {"file_path": os.environ["WAGTAIL_DIALOG_WORKER_MAIL"]}}}
else:
    EMAIL_BACKEND = _FILEBASED
    EMAIL_FILE_PATH = os.environ["WAGTAIL_DIALOG_WORKER_MAIL"]
