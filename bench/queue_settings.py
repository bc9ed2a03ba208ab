"""The tests' settings with django-tasks-db installed, so that a benchmark can queue its emails in
the database, as a production site with a worker does (docs/installation.md, "A worker")."""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
#: The backend a benchmark switches to (override_settings) where it measures queued emails.
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
