"""Differences between the Django and Wagtail versions we support, gated in one place."""

import functools

import django
from django.conf import settings

# Wagtail 8 made the page model swappable and names it in WAGTAIL_PAGE_MODEL;
# Wagtail 7.4 has no such setting. Migrations refer to the page model through
# this name so one migration serves both versions.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")

# The newest wagtailcore migration that both Wagtail 7.4 and 8.x ship.
WAGTAILCORE_MIGRATION = ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes")

# Background work runs on Django's task framework. Django 6 ships it as
# django.tasks; on Django 5.2 the django-tasks backport (which Wagtail already
# depends on) provides the same API. A worker backend checks that what it runs
# is its own framework's Task (django-tasks-db's DatabaseBackend imports
# django.tasks on Django 6), so our tasks must come from the framework the
# site's TASKS backends belong to: django.tasks wherever Django has it.
if django.VERSION >= (6, 0):
    from django.tasks import TaskResultStatus, default_task_backend, task, task_backends  # noqa: F401

    TASKS_MODULE = "django.tasks"
else:
    from django_tasks import TaskResultStatus, default_task_backend, task, task_backends  # noqa: F401

    TASKS_MODULE = "django_tasks"

#: Dotted paths of the framework's own backends, for settings and checks.
IMMEDIATE_TASK_BACKEND = f"{TASKS_MODULE}.backends.immediate.ImmediateBackend"
DUMMY_TASK_BACKEND = f"{TASKS_MODULE}.backends.dummy.DummyBackend"


def mend_site_history_union():
    """Let Wagtail's *Reports → Site history* run on Django 6.1 with SQLite.

    The report unions one query per log entry model, clearing each part's
    ordering, but it chains the unions: ``(a ∪ b) ∪ c``. Django 6.1 gives a
    union the default ordering of its first model again, so with a third log
    model (ours, ``ContributionLogEntry``) the inner ``a ∪ b`` carries
    ``Meta.ordering`` and SQLite, which allows no ORDER BY inside a compound
    statement, fails the whole report. Wagtail's two models alone never nest.
    Clearing the parts' ordering after the report has built its query keeps
    its own outer ordering (newest first) and changes nothing on PostgreSQL.
    """
    if django.VERSION < (6, 1):
        return
    from wagtail.admin.views.reports.audit_logging import LogEntriesView

    original = LogEntriesView.get_filtered_queryset
    if getattr(original, "wagtail_dialog_mended", False):
        return

    @functools.wraps(original)
    def get_filtered_queryset(self):
        queryset = original(self)
        for part in queryset.query.combined_queries:
            part.clear_ordering(force=True)
        return queryset

    get_filtered_queryset.wagtail_dialog_mended = True
    LogEntriesView.get_filtered_queryset = get_filtered_queryset
