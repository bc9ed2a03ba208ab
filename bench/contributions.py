"""Benchmarks for contributions against Wagtail's own FormPage, measured in one run.

    .venv/bin/python bench/contributions.py                 # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/contributions.py
    .venv/bin/python bench/contributions.py --rows 10000    # a quicker run
    .venv/bin/python bench/contributions.py --only submit   # one measure

Prints, for each measure, our figure, the baseline's and the ratio (target in
brackets). The baseline is tests.testapp.BaselineFormPage: Wagtail's
AbstractForm with the same fields as a contribution (text, name, email, consent).

1. submitting: median time of a POST that stores one submission (target <= 1.0x)
2. listing: median time of the first page of the moderators' inbox against
   Wagtail's form-submissions listing, both at --rows rows (target <= 1.0x),
   and the inbox's query count at 1,000 and at --rows rows (must not grow)
3. CSV export of --rows rows: time (target <= 1.0x) and peak memory growth
   measured with tracemalloc (target <= 50 MB)

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import json
import statistics
import time
import tracemalloc
from urllib.parse import urlencode

import common  # noqa: F401  (sets Django up first)
from common import admin_client, median_time, report  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from wagtail_dialog.compat import DUMMY_TASK_BACKEND  # noqa: E402

FIELDS = [("text", "multiline"), ("name", "singleline"), ("email", "email"), ("consent", "checkbox")]




def pages():
    from tests.factories import make_dialog, make_index, site_root
    from tests.testapp.models import BaselineFormField, BaselineFormPage, PolicyPage

    dialog = make_dialog(make_index(), title="Bench", slug="bench")
    # Both pages sit at the same depth (site root, a section page, the page),
    # so that Wagtail's routing, one query per level, costs both the same. The
    # section is a page type of its own, as on a real site (a plain Page cannot
    # be created in the admin), so routing through it costs its specific query.
    section = site_root().add_child(instance=PolicyPage(title="Forms", slug="forms"))
    form_page = BaselineFormPage(title="Baseline", slug="baseline")
    section.add_child(instance=form_page)
    for sort_order, (name, kind) in enumerate(FIELDS):
        BaselineFormField.objects.create(page=form_page, sort_order=sort_order, label=name, field_type=kind,
                                         required=name in ("text", "consent"))
    return dialog, form_page


def fill(dialog, form_page, start, stop):
    """Add rows start..stop to both: the same text, name and email in each."""
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_dialog.contributions import Contribution, ContributionStatus

    text = "Jag önskar fler bänkar i skuggan och belysning längs gångvägen. " * 3
    batch = 5000
    for first in range(start, stop, batch):
        size = min(batch, stop - first)
        Contribution.objects.bulk_create(
            Contribution(dialog=dialog, text=text, name="Anna", email="anna@example.invalid",
                         status=ContributionStatus.PENDING, reference=f"B{first + n:09d}")
            for n in range(size)
        )
        FormSubmission.objects.bulk_create(
            FormSubmission(page=form_page, form_data={"text": text, "name": "Anna", "email": "anna@example.invalid",
                                                      "consent": True})
            for _ in range(size)
        )


def bench_submit(dialog, form_page, repeat):
    ours, baseline = Client(), Client()
    data = {"text": "En synpunkt om parken.", "name": "Anna", "email": "", "consent": "on", "website": ""}
    base = {"text": "En synpunkt om parken.", "name": "Anna", "email": "", "consent": "on"}
    ours.get(dialog.url)
    baseline.get(form_page.url)
    # Emails are queued, not sent inside the request, as on a site that runs a
    # task worker (the baseline FormPage sends no email at all).
    queued = {"default": {"BACKEND": DUMMY_TASK_BACKEND}}
    # Sent urlencoded, as a browser sends a form without files (the test
    # client's default, multipart, costs both more to parse). Alternating, one
    # of each at a time, so that the machine's drift weighs on both alike.
    form = "application/x-www-form-urlencoded"
    ours_body, baseline_body = urlencode(data), urlencode(base)
    ours_times, baseline_times = [], []
    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=10**9, TASKS=queued):
        # Both must store what they were sent, or the timing means nothing.
        from wagtail.contrib.forms.models import FormSubmission

        from wagtail_dialog.contributions import Contribution

        before = Contribution.objects.count(), FormSubmission.objects.count()
        assert ours.post(dialog.url, ours_body, content_type=form).status_code == 302
        assert baseline.post(form_page.url, baseline_body, content_type=form).status_code == 200
        assert (Contribution.objects.count(), FormSubmission.objects.count()) == (before[0] + 1, before[1] + 1)
        for _ in range(repeat):
            ours_times.append(median_time(lambda: ours.post(dialog.url, ours_body, content_type=form), 1))
            baseline_times.append(median_time(lambda: baseline.post(form_page.url, baseline_body, content_type=form), 1))
    return report("submit one contribution", statistics.median(ours_times), statistics.median(baseline_times), 1.0)



def bench_listing(form_page, repeat, rows):
    client = admin_client()
    inbox = reverse("wagtail_dialog_contributions:index")
    forms = reverse("wagtailforms:list_submissions", args=[form_page.pk])
    assert client.get(inbox).status_code == 200 and client.get(forms).status_code == 200
    ours = median_time(lambda: client.get(inbox), repeat)
    baseline = median_time(lambda: client.get(forms), repeat)
    ratio = report(f"inbox listing at {rows:,} rows", ours, baseline, 1.0)
    with CaptureQueriesContext(connection) as queries:
        client.get(inbox)
    return ratio, len(queries)


def bench_export(form_page, rows):
    client = admin_client()
    inbox = reverse("wagtail_dialog_contributions:index") + "?export=csv"
    forms = reverse("wagtailforms:list_submissions", args=[form_page.pk]) + "?export=csv"

    def consume(url):
        response = client.get(url)
        size = sum(len(chunk) for chunk in (response.streaming_content if response.streaming else [response.content]))
        return size

    def measure(url):
        # Time without tracemalloc (it slows every allocation), then memory with it.
        start = time.perf_counter()
        size = consume(url)
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        consume(url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return elapsed, peak / 2**20, size

    ours_time, ours_peak, ours_size = measure(inbox)
    base_time, base_peak, base_size = measure(forms)
    ratio = report(f"CSV export of {rows:,} rows", ours_time, base_time, 1.0)
    print(f"{'CSV export peak memory growth':<42} ours {ours_peak:8.1f} MB  baseline {base_peak:8.1f} MB  "
          f"(target <= 50 MB) {'ok' if ours_peak <= 50 else 'OVER TARGET'}  [{ours_size:,} / {base_size:,} bytes]")
    return ratio, ours_peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["submit", "listing", "export"], help="run one measure only")
    args = parser.parse_args()
    if args.only == "submit":
        args.rows = 0

    # Not setup_test_environment(): it instruments every template render,
    # which no real server does and which would weigh on the page with more
    # templates. Only what the test client needs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, rows: {args.rows:,}, repeat: {args.repeat}, "
              f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
        dialog, form_page = pages()
        results = {}
        if args.only in (None, "submit"):
            results["submit"] = bench_submit(dialog, form_page, args.repeat)
        if args.only in (None, "listing"):
            fill(dialog, form_page, 0, 1000)
            _, small_queries = bench_listing(form_page, 3, 1000)
            fill(dialog, form_page, 1000, args.rows)
            results["listing"], big_queries = bench_listing(form_page, max(3, args.repeat // 5), args.rows)
            print(f"{'inbox queries at 1,000 / ' + format(args.rows, ',') + ' rows':<42} {small_queries} / "
                  f"{big_queries} {'ok (constant)' if big_queries <= small_queries else 'GROWS'}")
            results["queries"] = [small_queries, big_queries]
        elif args.only == "export":
            fill(dialog, form_page, 0, args.rows)
        if args.only in (None, "export"):
            results["export"], results["export_peak_mb"] = bench_export(form_page, args.rows)
        print(json.dumps({"database": connection.vendor, "rows": args.rows, **results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
