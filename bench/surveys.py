"""Benchmarks for surveys against Wagtail's own FormPage, measured in one run.

    .venv/bin/python bench/surveys.py                 # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/surveys.py
    .venv/bin/python bench/surveys.py --rows 10000    # a quicker run
    .venv/bin/python bench/surveys.py --only submit   # one measure

Prints, for each measure, our figure, the baseline's and the ratio (target in
brackets). The baseline is tests.testapp.BaselineFormPage: Wagtail's
AbstractForm with the same ten questions (a scale is radio buttons there),
at the same depth in the page tree.

1. answering: median time of a POST that stores the answers to a one-step
   survey of ten questions (target <= 1.0x)
2. results: median time of a survey's results page (every question counted,
   its chart drawn) at --rows answers, against Wagtail's own CSV export of the
   same submissions (target <= 1.0x), and the results page's query count at
   1,000 and at --rows answers (must not grow)
3. export: our CSV of --rows answers against Wagtail's CSV export of the same
   submissions (time, target <= 1.0x), and our CSV's and XLSX's peak memory
   growth measured with tracemalloc (target <= 50 MB)

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import json
import random
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

#: (label, our type, Wagtail's type, choices): the same ten questions on both.
QUESTIONS = [
    ("Hur ofta är du i parken", "radio", "radio", ["Varje dag", "Varje vecka", "Sällan"]),
    ("Hur nöjd är du", "scale", "radio", ["1", "2", "3", "4", "5"]),
    ("Vad vill du göra där", "checkboxes", "checkboxes", ["Leka", "Grilla", "Promenera", "Spela boll"]),
    ("Vilken del använder du", "dropdown", "dropdown", ["Norra", "Södra", "Östra"]),
    ("Har du barn", "checkbox", "checkbox", []),
    ("Hur många i hushållet", "number", "number", []),
    ("När var du där senast", "date", "date", []),
    ("Hur tar du dig dit", "radio", "radio", ["Går", "Cyklar", "Bil", "Buss"]),
    ("Något mer", "multiline", "multiline", []),
    ("Ett ord om parken", "singleline", "singleline", []),
]




def pages():
    from tests.factories import make_dialog, make_index, make_survey, site_root
    from tests.testapp.models import BaselineFormField, BaselineFormPage, PolicyPage

    dialog = make_dialog(make_index(), title="Bench", slug="bench")
    survey = make_survey(dialog, title="Enkät", slug="enkat", answer_limit="anyone", questions=[
        (label, kind, {"choices": "\n".join(choices), "required": kind in ("radio", "scale")})
        for label, kind, _theirs, choices in QUESTIONS
    ])
    # The same depth as the survey (site root, index, dialog, survey): Wagtail's
    # routing costs a query per level. Sections of a page type of their own, as
    # on a real site (a plain Page cannot be created in the admin).
    section = site_root().add_child(instance=PolicyPage(title="Forms", slug="forms"))
    subsection = section.add_child(instance=PolicyPage(title="Park", slug="park"))
    form_page = BaselineFormPage(title="Baseline", slug="baseline")
    subsection.add_child(instance=form_page)
    for sort_order, (label, _ours, theirs, choices) in enumerate(QUESTIONS):
        BaselineFormField.objects.create(page=form_page, sort_order=sort_order, label=label, field_type=theirs,
                                         choices="\n".join(choices), required=theirs == "radio")
    return survey, form_page


def names(survey):
    return [question.clean_name for question in survey.questions.all()]


def fill(survey, form_page, start, stop):
    """Add answers start..stop to both: the same answers in each."""
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_dialog.methods.surveys.answers import SurveySubmission

    keys = names(survey)
    rng = random.Random(start)
    batch = 5000
    for first in range(start, stop, batch):
        size = min(batch, stop - first)
        ours, theirs = [], []
        for _ in range(size):
            closed = {
                keys[0]: rng.choice(QUESTIONS[0][3]), keys[1]: rng.choice(QUESTIONS[1][3]),
                keys[2]: rng.sample(QUESTIONS[2][3], rng.randint(0, 3)), keys[3]: rng.choice(QUESTIONS[3][3]),
                keys[4]: rng.random() < 0.4, keys[5]: str(rng.randint(1, 6)), keys[6]: "2026-10-01",
                keys[7]: rng.choice(QUESTIONS[7][3]),
            }
            texts = {keys[8]: "Fler bänkar i skuggan och belysning längs gångvägen.", keys[9]: "Grön"}
            ours.append(SurveySubmission(page=survey, form_data=closed, texts=texts,
                                         channel=rng.choice(["web", "web", "paper"])))
            theirs.append(FormSubmission(page=form_page, form_data={**closed, **texts}))
        SurveySubmission.objects.bulk_create(ours)
        FormSubmission.objects.bulk_create(theirs)


def bench_submit(survey, form_page, repeat):
    keys = names(survey)
    answer = {keys[0]: "Varje dag", keys[1]: "4", keys[2]: ["Leka", "Grilla"], keys[3]: "Norra", keys[4]: "on",
              keys[5]: "3", keys[6]: "2026-10-01", keys[7]: "Cyklar", keys[8]: "Fler bänkar.", keys[9]: "Grön"}
    ours, baseline = Client(), Client()
    ours.get(survey.url)
    baseline.get(form_page.url)
    # Sent urlencoded, as a browser sends a form without files. Alternating, one
    # of each at a time, so that the machine's drift weighs on both alike.
    form = "application/x-www-form-urlencoded"
    ours_body = urlencode({**answer, "website": ""}, doseq=True)
    baseline_body = urlencode(answer, doseq=True)
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_dialog.methods.surveys.answers import SurveySubmission

    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=10**9):
        before = SurveySubmission.objects.count(), FormSubmission.objects.count()
        assert ours.post(survey.url, ours_body, content_type=form).status_code == 302
        assert baseline.post(form_page.url, baseline_body, content_type=form).status_code == 200
        # Both must store what they were sent, or the timing means nothing.
        assert (SurveySubmission.objects.count(), FormSubmission.objects.count()) == (before[0] + 1, before[1] + 1)
        ours_times, baseline_times = [], []
        for _ in range(repeat):
            ours_times.append(median_time(lambda: ours.post(survey.url, ours_body, content_type=form), 1))
            baseline_times.append(median_time(lambda: baseline.post(form_page.url, baseline_body,
                                                                    content_type=form), 1))
    return report("answer a one-step survey of ten questions", statistics.median(ours_times),
                  statistics.median(baseline_times), 1.0)



def consume(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return sum(len(chunk) for chunk in (response.streaming_content if response.streaming else [response.content]))


def bench_results(survey, form_page, repeat, rows):
    client = admin_client()
    results = reverse("wagtail_dialog_survey_results", args=[survey.pk])
    wagtail_csv = reverse("wagtailforms:list_submissions", args=[form_page.pk]) + "?export=csv"
    consume(client, results)
    ours = median_time(lambda: consume(client, results), repeat)
    baseline = median_time(lambda: consume(client, wagtail_csv), max(1, repeat // 3))
    ratio = report(f"results at {rows:,} answers vs Wagtail's CSV", ours, baseline, 1.0)
    with CaptureQueriesContext(connection) as queries:
        consume(client, results)
    return ratio, len(queries)


def bench_export(survey, form_page, rows):
    client = admin_client()
    export = reverse("wagtail_dialog_survey_export", args=[survey.pk])
    wagtail_csv = reverse("wagtailforms:list_submissions", args=[form_page.pk]) + "?export=csv"

    def timed(url):
        start = time.perf_counter()
        size = consume(client, url)
        return time.perf_counter() - start, size

    def peak(url):
        tracemalloc.start()
        consume(client, url)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top / 2**20

    ours_time, ours_size = timed(export + "?format=csv")
    base_time, base_size = timed(wagtail_csv)
    ratio = report(f"CSV export of {rows:,} answers", ours_time, base_time, 1.0)
    csv_peak, xlsx_peak = peak(export + "?format=csv"), peak(export + "?format=xlsx")
    print(f"{'export peak memory growth (CSV / XLSX)':<46} {csv_peak:8.1f} MB / {xlsx_peak:8.1f} MB "
          f"(target <= 50 MB) {'ok' if max(csv_peak, xlsx_peak) <= 50 else 'OVER TARGET'}  "
          f"[{ours_size:,} / {base_size:,} bytes]")
    return ratio, csv_peak, xlsx_peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", choices=["submit", "results", "export"], help="run one measure only")
    args = parser.parse_args()

    # Not setup_test_environment(): it instruments every template render, which
    # no real server does. Only what the test client needs.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, rows: {args.rows:,}, repeat: {args.repeat}")
        survey, form_page = pages()
        results = {}
        if args.only in (None, "submit"):
            results["submit"] = bench_submit(survey, form_page, args.repeat)
        if args.only in (None, "results", "export"):
            fill(survey, form_page, 0, 1000)
            small = bench_results(survey, form_page, 3, 1000)[1]
            fill(survey, form_page, 1000, args.rows)
            results["results"], big = bench_results(survey, form_page, max(3, args.repeat // 10), args.rows)
            print(f"{'results queries at 1,000 / ' + format(args.rows, ',') + ' answers':<46} {small} / {big} "
                  f"{'ok (constant)' if big <= small else 'GROWS'}")
            results["queries"] = [small, big]
        if args.only in (None, "export"):
            results["export"], results["csv_peak_mb"], results["xlsx_peak_mb"] = bench_export(survey, form_page,
                                                                                              args.rows)
        print(json.dumps({"database": connection.vendor, "rows": args.rows, **results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
