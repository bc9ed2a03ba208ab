"""Benchmark of signing up for a meeting against Wagtail's own FormPage.

    .venv/bin/python bench/meetings.py                    # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/meetings.py
    .venv/bin/python bench/meetings.py --repeat 200       # a quicker run
    .venv/bin/python bench/meetings.py --profile 300      # where a sign-up's time goes

Prints our figure, the baseline's and the ratio (target in brackets). The
baselines are tests.testapp.BaselineFormPage, Wagtail's AbstractForm, and
BaselineEmailFormPage, Wagtail's AbstractEmailForm (the FormPage of Wagtail's
own documentation, which emails each submission to the organiser), both with
the same fields as the sign-up form (name, email, number of people, three
optional texts, consent), at the same depth in the page tree.

Signing up: median time of a POST that stores a sign-up (a new address each
time, a meeting with seats enough for all) and queues its email with the link
and the calendar file, against a POST that stores a FormPage submission
(target <= 1.0x). The email is queued as on a site that runs a task worker
(the setup ``manage.py check --deploy`` asks for, warning W002): the worker
sends it after the response, so a dummy task backend stands for the queue,
as in bench/contributions.py. For the record it also prints the sign-up
against Wagtail's FormPage that emails each submission, the same with the
immediate backend (a site without a worker: the email sent inside the
request), and the email's own time (``notices.send``). Emails go to Django's
local-memory backend: what is measured is building them, not an SMTP server.

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import cProfile
import itertools
import json
import os
import pstats
from urllib.parse import urlencode

# With django-tasks-db, to queue the emails in the database as on a site with a worker.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "queue_settings")

import common  # noqa: E402, F401  (sets Django up first)
from common import alternately, median_time, report  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

#: (our field, Wagtail's field type, required): the same fields on both.
FIELDS = [
    ("name", "singleline", True),
    ("email", "email", True),
    ("people", "number", True),
    ("needs_interpretation", "singleline", False),
    ("needs_access", "singleline", False),
    ("needs_diet", "singleline", False),
    ("consent", "checkbox", True),
]
ANSWER = {"name": "Anna Andersson", "people": "2", "needs_interpretation": "", "needs_access": "Rullstol",
          "needs_diet": "", "consent": "on"}
FORM = "application/x-www-form-urlencoded"


def pages():
    from tests.factories import make_dialog, make_index, make_meeting, site_root
    from tests.testapp.models import (
        BaselineEmailFormField,
        BaselineEmailFormPage,
        BaselineFormField,
        BaselineFormPage,
        PolicyPage,
    )

    dialog = make_dialog(make_index(), title="Bench", slug="bench")
    meeting = make_meeting(dialog, title="Dialogcafé", slug="dialogcafe", capacity=10**6)
    # The same depth as the meeting (site root, index, dialog, meeting): Wagtail's
    # routing costs a query per level. Sections of a page type of their own, as
    # on a real site (a plain Page cannot be created in the admin).
    section = site_root().add_child(instance=PolicyPage(title="Forms", slug="forms"))
    subsection = section.add_child(instance=PolicyPage(title="Park", slug="park"))
    form_page = BaselineFormPage(title="Baseline", slug="baseline")
    subsection.add_child(instance=form_page)
    # Wagtail's FormPage as its documentation writes it: each submission emailed to the organiser.
    email_page = BaselineEmailFormPage(title="Baseline that emails", slug="baseline-email",
                                       to_address="organiser@example.se", from_address="site@example.se",
                                       subject="Ny anmälan")
    subsection.add_child(instance=email_page)
    for page, field_model in ((form_page, BaselineFormField), (email_page, BaselineEmailFormField)):
        for sort_order, (name, kind, required) in enumerate(FIELDS):
            field_model.objects.create(page=page, sort_order=sort_order, label=name, field_type=kind,
                                       required=required)
    return meeting, form_page, email_page


def bench_sign_up(meeting, form_page, repeat, label="Wagtail's FormPage", emails=0, queued=True):
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_dialog.compat import IMMEDIATE_TASK_BACKEND
    from wagtail_dialog.methods.meetings.seats import Registration

    ours, baseline = Client(), Client()
    ours.get(meeting.url)
    baseline.get(form_page.url)
    numbers = itertools.count()

    # A new address each time, on both; sent urlencoded, as a browser sends a form without files.
    def ours_post():
        body = urlencode({**ANSWER, "email": f"person{next(numbers)}@example.se", "website": ""})
        return ours.post(meeting.url, body, content_type=FORM)

    def baseline_post():
        return baseline.post(form_page.url, urlencode({**ANSWER, "email": f"person{next(numbers)}@example.se"}),
                             content_type=FORM)

    tasks = settings.QUEUE if queued else {"default": {"BACKEND": IMMEDIATE_TASK_BACKEND}}
    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=10**9, TASKS=tasks):
        from django_tasks_db.models import DBTaskResult

        before = Registration.objects.count(), FormSubmission.objects.count()
        pending = Registration.objects.filter(state="pending").count()
        queue = DBTaskResult.objects.filter(task_path__endswith=".send_sign_up_email")
        in_queue = queue.count()
        mail.outbox.clear()
        assert ours_post().status_code == 302
        # Queued (for the worker) or sent (without one): either way the email is on its way.
        if queued:
            assert queue.count() == in_queue + 1 and mail.outbox == []
        else:
            assert len(mail.outbox) == 1
        assert baseline_post().status_code == 200 and len(mail.outbox) == (0 if queued else 1) + emails
        # Both must store what they were sent, or the timing means nothing.
        assert (Registration.objects.count(), FormSubmission.objects.count()) == (before[0] + 1, before[1] + 1)
        assert Registration.objects.filter(state="pending").count() == pending + 1
        queries = []
        for post in (ours_post, baseline_post):
            with CaptureQueriesContext(connection) as captured:
                post()
            queries.append(len(captured))
        ours_time, baseline_time = alternately(ours_post, baseline_post, repeat, between=lambda: mail.outbox.clear())
    how = "queued" if queued else "sent in the request"
    # The target is the sign-up as a site with a worker runs it; without one, for the record.
    ratio = report(f"sign up ({how}) vs {label}", ours_time, baseline_time, 1.0 if queued else None, width=60)
    print(f"{'queries, ours / baseline':<60} {queries[0]} / {queries[1]}")
    return ratio, queries


def bench_email(meeting, repeat):
    """The email alone: what ``notices.send`` costs a sign-up, for the record."""
    from wagtail_dialog.methods.meetings import notices
    from wagtail_dialog.methods.meetings.seats import Registration

    registration = Registration.objects.filter(meeting=meeting).latest("pk")
    base = f"http://testserver{meeting.url}"
    seconds = median_time(lambda: notices.send(registration, "confirm", meeting, base=base), repeat)
    mail.outbox.clear()
    print(f"{'the email alone (notices.send)':<60} {seconds * 1000:8.2f} ms")
    return seconds


def profile(meeting, count):
    from django.test import Client

    client = Client()
    client.get(meeting.url)
    numbers = itertools.count(10**6)
    profiler = cProfile.Profile()
    # As measured: the email queued for the worker.
    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=10**9, TASKS=settings.QUEUE):
        profiler.enable()
        for _ in range(count):
            client.post(meeting.url, urlencode({**ANSWER, "email": f"p{next(numbers)}@example.se", "website": ""}),
                        content_type=FORM)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=600)
    parser.add_argument("--profile", type=int, metavar="N", help="profile N sign-ups (cProfile) instead")
    args = parser.parse_args()

    # Not setup_test_environment(): it instruments every template render, which
    # no real server does. Only what the test client needs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        meeting, form_page, email_page = pages()
        if args.profile:
            profile(meeting, args.profile)
            return
        print(f"database: {connection.vendor}, repeat: {args.repeat}, "
              f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
        results = dict(zip(("sign_up", "queries"), bench_sign_up(meeting, form_page, args.repeat)))
        results.update(zip(("sign_up_vs_email_form", "queries_vs_email_form"), bench_sign_up(
            meeting, email_page, args.repeat, label="Wagtail's FormPage that emails", emails=1)))
        results.update(zip(("sign_up_without_worker_vs_email_form", "queries_without_worker"), bench_sign_up(
            meeting, email_page, args.repeat, label="Wagtail's FormPage that emails", emails=1, queued=False)))
        results["email_ms"] = round(bench_email(meeting, max(10, args.repeat // 10)) * 1000, 2)
        print(json.dumps({"database": connection.vendor, **results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
