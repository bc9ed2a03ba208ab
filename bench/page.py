"""Benchmark of an open dialog page's GET against Wagtail's FormPage, measured in one run.

    .venv/bin/python bench/page.py                                   # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/page.py   # PostgreSQL
    .venv/bin/python bench/page.py --repeat 200                      # a quicker run
    .venv/bin/python bench/page.py --profile 300                     # where the time goes

Prints our figure, the baseline's and the ratio (target in brackets). The
baseline is tests.testapp.BaselineFormPage: Wagtail's AbstractForm with the
same fields as a contribution (text, name, email, consent), its form shown.

1. page: median time of an anonymous GET of an open DialogPage with --rows
   published contributions (some with a public reply, a connection and an
   area), its scope limits, target groups, methods, tags, decision body, gate
   answers and the site's privacy notice and areas, against a GET of a
   published BaselineFormPage (target <= 1.5x)
2. queries: the dialog page's query count at 30 and at --rows contributions
   (must be equal: the page shows 20 a page, whatever the total)

With --profile N it also runs N GETs of the dialog page under cProfile and
prints the functions that cost the most (cumulative), and the time spent in
each template the page includes.

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import cProfile
import datetime
import json
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FIELDS = [("text", "multiline"), ("name", "singleline"), ("email", "email"), ("consent", "checkbox")]
TARGET = 1.5


def report(label, ours, baseline, target):
    ratio = ours / baseline if baseline else float("inf")
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{label:<42} ours {ours * 1000:8.2f} ms  baseline {baseline * 1000:8.2f} ms  ratio {ratio:5.2f}x "
          f"(target <= {target:.1f}x) {verdict}")
    return ratio


def pages():
    """An open dialog as an editor fills it in, and the baseline form page at the same depth."""
    from wagtail.models import Site

    from tests.factories import make_dialog, make_index, site_root
    from tests.testapp.models import BaselineFormField, BaselineFormPage, PolicyPage
    from wagtail_dialog.dialogs.pages.lists import DialogMethod, DialogScopeLimit, DialogTargetGroup
    from wagtail_dialog.dialogs.site_settings import DialogSiteSettings

    # Both pages sit at the same depth (site root, a section page, the page),
    # so that Wagtail's routing, one query per level, costs both the same.
    dialog = make_dialog(make_index(), title="Bench", slug="bench", tags=("trafik", "parker"),
                         case_number="KS 2026/123", representatives="Anna Andersson (S)\nBo Berg (M)",
                         background="<p>Torget byggdes <b>1972</b>.</p>")
    DialogScopeLimit.objects.create(page=dialog, fixed="Budgeten", reason="budget", explanation="Beslutad av KF.")
    DialogScopeLimit.objects.create(page=dialog, fixed="Detaljplanen", reason="plan")
    DialogTargetGroup.objects.create(page=dialog, name="Unga", how_reached="Skolbesök", seldom_heard=True)
    DialogTargetGroup.objects.create(page=dialog, name="Företagare", how_reached="Frukostmöte")
    DialogMethod.objects.create(page=dialog, ladder_method="survey", description="På webben.")
    DialogMethod.objects.create(page=dialog, own_method="Torgvandring", description="En lördag i maj.")
    dialog.save_revision().publish()

    site = Site.objects.get(is_default_site=True)
    site_settings = DialogSiteSettings.for_site(site)
    site_settings.privacy_notice = "<p>Kommunstyrelsen är personuppgiftsansvarig.</p>"
    site_settings.contact = "dialog@kommun.invalid"
    site_settings.areas = "Centrum\nNorr\nSöder"
    site_settings.save()

    section = site_root().add_child(instance=PolicyPage(title="Forms", slug="forms"))
    form_page = BaselineFormPage(title="Baseline", slug="baseline")
    section.add_child(instance=form_page)
    for sort_order, (name, kind) in enumerate(FIELDS):
        BaselineFormField.objects.create(page=form_page, sort_order=sort_order, label=name, field_type=kind,
                                         required=name in ("text", "consent"))
    return dialog, form_page


def fill(dialog, start, stop):
    """Add published contributions start..stop: every tenth with a public reply."""
    from django.utils import timezone

    from wagtail_dialog.contributions import Contribution, ContributionStatus

    text = "Jag önskar fler bänkar i skuggan och belysning längs gångvägen. " * 3
    now = timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            dialog=dialog, text=text, name="Anna" if n % 3 else "", relation="lives" if n % 2 else "",
            area="Centrum" if n % 4 == 0 else "", status=ContributionStatus.PUBLISHED,
            reference=f"P{n:09d}", submitted_at=now - datetime.timedelta(minutes=n),
            reply="Tack, vi tar med det i underlaget." if n % 10 == 0 else "",
            reply_signature="Samhällsbyggnad" if n % 10 == 0 else "",
            replied_at=now if n % 10 == 0 else None,
        )
        for n in range(start, stop)
    )


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return len(queries)


def bench_page(dialog, form_page, repeat, warmup):
    ours, baseline = Client(), Client()
    url, base_url = dialog.url, form_page.url
    # The page must show what it is measured for, or the timing means nothing.
    content = get(ours, url).content.decode()
    assert 'id="wd-contribution-form"' in content and content.count('class="wd-contribution"') == 20, \
        "the dialog page does not show its form and 20 contributions"
    assert 'class="wd-reply"' in content and 'class="wd-pagination"' in content
    assert 'name="consent"' in get(baseline, base_url).content.decode()
    for _ in range(warmup):
        get(ours, url)
        get(baseline, base_url)
    # Alternating, one of each at a time, so that the machine's drift weighs on both alike.
    ours_times, baseline_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        ours.get(url)
        middle = time.perf_counter()
        baseline.get(base_url)
        ours_times.append(middle - start)
        baseline_times.append(time.perf_counter() - middle)
    ours_median, base_median = statistics.median(ours_times), statistics.median(baseline_times)
    return report("open dialog page GET", ours_median, base_median, TARGET), ours_median, base_median


def profile(dialog, runs):
    """Where a GET of the dialog page spends its time: functions, then templates."""
    from django.template.base import Template

    client = Client()
    url = dialog.url
    get(client, url)
    # Time spent rendering each template, without the templates it includes
    # (its own share), and the queries run while it is the innermost one.
    own, queries, stack = defaultdict(float), defaultdict(lambda: [0, 0.0]), []
    original = Template._render

    def timed(self, context):
        name = self.origin.template_name or "?"
        stack.append([name, 0.0])
        start = time.perf_counter()
        try:
            return original(self, context)
        finally:
            elapsed = time.perf_counter() - start
            _, children = stack.pop()
            own[name] += elapsed - children
            if stack:
                stack[-1][1] += elapsed

    def query_timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = queries[stack[-1][0] if stack else "(view, before rendering)"]
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    Template._render = timed
    try:
        with connection.execute_wrapper(query_timer):
            for _ in range(runs):
                get(client, url)
    finally:
        Template._render = original
    print(f"\ntemplates, own ms per GET (without their includes), queries run in each, {runs} GETs:")
    for name, seconds in sorted(own.items(), key=lambda item: -item[1]):
        count, query_seconds = queries.pop(name, (0, 0.0))
        print(f"  {seconds / runs * 1000:7.3f} ms  {name}  [{count / runs:g} queries, "
              f"{query_seconds / runs * 1000:.3f} ms in the database driver]")
    for name, (count, query_seconds) in queries.items():
        print(f"  {'':7}     {name}  [{count / runs:g} queries, {query_seconds / runs * 1000:.3f} ms]")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        get(client, url)
    profiler.disable()
    print(f"\ncProfile, {runs} GETs, top 40 by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile N GETs of the dialog page")
    args = parser.parse_args()

    # Not setup_test_environment(): it instruments every template render,
    # which no real server does and which would weigh on the page with more
    # templates. Only what the test client needs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, contributions: {args.rows:,}, repeat: {args.repeat}, "
              f"warm-up: {args.warmup}, cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
        dialog, form_page = pages()
        client = Client()
        fill(dialog, 0, 30)
        get(client, dialog.url)
        small = count_queries(client, dialog.url)
        fill(dialog, 30, args.rows)
        big = count_queries(client, dialog.url)
        baseline_queries = count_queries(client, form_page.url)
        ratio, ours, baseline = bench_page(dialog, form_page, args.repeat, args.warmup)
        print(f"{'dialog page queries at 30 / ' + format(args.rows, ','):<42} {small} / {big} "
              f"{'ok (constant)' if small == big else 'GROWS'}  (baseline: {baseline_queries})")
        if args.profile:
            profile(dialog, args.profile)
        print(json.dumps({"database": connection.vendor, "rows": args.rows, "ratio": round(ratio, 3),
                          "ours_ms": round(ours * 1000, 2), "baseline_ms": round(baseline * 1000, 2),
                          "queries": [small, big], "baseline_queries": baseline_queries}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
