"""Benchmarks for votes, measured in one run.

    .venv/bin/python bench/votes.py                  # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/votes.py
    .venv/bin/python bench/votes.py --ballots 10000  # a quicker run

1. casting: median time of a POST that casts a budget ballot (three options, a new code each
   time, straight to "cast") against a POST that stores a submission of Wagtail's FormPage with the
   same fields (the options as checkboxes, the code, the declaration), both at the same depth of
   the page tree, measured alternately (target <= 1.0x), and the queries of one POST of each
2. counting: median time of the count of a budget vote (``methods.votes.tally.count``: votes per
   option and channel, ballots per channel, codes issued, the funded options) at --ballots
   ballots, against a bare ``GROUP BY`` over the same choice rows in SQL (target <= 1.5x), and the
   count's queries at 1,000 and at --ballots ballots (must not grow)

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import itertools
import json
import random
from urllib.parse import urlencode

import common  # noqa: F401  (sets Django up first)
from common import alternately, median_time, report  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FORM = "application/x-www-form-urlencoded"

OPTIONS = [(f"Förslag {n}", cost, "Landsbygden") for n, cost in enumerate(
    (400_000, 300_000, 250_000, 150_000, 120_000, 90_000, 60_000, 30_000), start=1)]


def vote_pages():
    """(a vote to cast ballots in, a vote to count), below one dialog."""
    from tests.factories import make_dialog, make_index, make_vote
    from wagtail_dialog.methods.votes import codes

    dialog = make_dialog(make_index(), title="Bench", slug="bench")
    cast_in = make_vote(dialog, options=OPTIONS, slug="omrostning")
    counted = make_vote(dialog, options=OPTIONS, slug="rakna")
    codes.make_batch(counted, "Hushåll", 5000)
    return cast_in, counted


def baseline_form_page(vote):
    """Wagtail's FormPage with the ballot's fields, at the vote's depth (site root, two sections, page)."""
    from tests.factories import site_root
    from tests.testapp.models import BaselineFormField, BaselineFormPage, PolicyPage

    section = site_root().add_child(instance=PolicyPage(title="Forms", slug="forms"))
    subsection = section.add_child(instance=PolicyPage(title="Budget", slug="budget"))
    form_page = BaselineFormPage(title="Baseline", slug="baseline")
    subsection.add_child(instance=form_page)
    fields = [("Förslag", "checkboxes", "\n".join(option.title for option in vote.options.all())),
              ("Röstkod", "singleline", ""), ("Jag får rösta", "checkbox", "")]
    for sort_order, (label, kind, choices) in enumerate(fields):
        BaselineFormField.objects.create(page=form_page, sort_order=sort_order, label=label, field_type=kind,
                                         choices=choices, required=True)
    return form_page


def bench_cast(vote, repeat):
    from wagtail.contrib.forms.models import FormSubmission

    from wagtail_dialog.methods.votes import codes
    from wagtail_dialog.methods.votes.ballots import Ballot

    form_page = baseline_form_page(vote)
    options = list(vote.options.order_by("sort_order"))[-3:]
    titles = [option.title for option in options]
    plain = iter(codes.make_batch(vote, "Bänk", min(codes.MAX_BATCH, 2 * repeat + 10))[1])
    ours, baseline = Client(), Client()
    ours.get(f"{vote.url}ballot/")
    baseline.get(form_page.url)
    numbers = itertools.count()
    fields = {field.clean_name: field for field in form_page.form_fields.all()}
    names = list(fields)

    def ours_post():
        body = urlencode({"options": [str(option.pk) for option in options], "code": next(plain),
                          "eligible": "on", "order": "1", "action": "cast", "website": ""}, doseq=True)
        return ours.post(f"{vote.url}ballot/", body, content_type=FORM)

    def baseline_post():
        body = urlencode({names[0]: titles, names[1]: f"KOD{next(numbers)}", names[2]: "on"}, doseq=True)
        return baseline.post(form_page.url, body, content_type=FORM)

    with override_settings(WAGTAIL_DIALOG_RATE_LIMIT=10**9):
        before = Ballot.objects.count(), FormSubmission.objects.count()
        assert ours_post().status_code == 302
        assert baseline_post().status_code == 200
        # Both must store what they were sent, or the timing means nothing.
        assert (Ballot.objects.count(), FormSubmission.objects.count()) == (before[0] + 1, before[1] + 1)
        queries = []
        for post in (ours_post, baseline_post):
            with CaptureQueriesContext(connection) as captured:
                post()
            queries.append(len(captured))
        ours_time, baseline_time = alternately(ours_post, baseline_post, repeat)
    ratio = report("cast a ballot vs Wagtail's FormPage", ours_time, baseline_time, 1.0, width=46)
    print(f"{'queries, ours / baseline':<46} {queries[0]} / {queries[1]}")
    return ratio, queries


def fill(vote, start, stop):
    """Ballots start..stop: one to three options each, four in five on the web."""
    from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice, mark
    from wagtail_dialog.methods.votes.kinds import Proof

    options = list(vote.options.all())
    rng = random.Random(start)
    batch = 5000
    for first in range(start, stop, batch):
        ballots, choices = [], []
        for n in range(first, min(stop, first + batch)):
            channel = "paper" if rng.random() < 0.2 else "web"
            ballot = Ballot(vote=vote, channel=channel, proof=Proof.CODE, receipt=f"{n:08d}")
            ballots.append(ballot)
            choices.extend(BallotChoice(ballot=ballot, vote=vote, option=option, channel=channel,
                                        mark=mark(m, ballot.proof))
                           for m, option in enumerate(rng.sample(options, rng.randint(1, 3))))
        Ballot.objects.bulk_create(ballots)
        BallotChoice.objects.bulk_create(choices)


def bare_group_by(vote):
    table = connection.ops.quote_name("wagtail_dialog_ballotchoice")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT option_id, channel, COUNT(*) FROM {table} WHERE vote_id = %s "
                       "GROUP BY option_id, channel", [vote.pk])
        return cursor.fetchall()


def counted_queries(vote):
    from wagtail_dialog.methods.votes import tally

    with CaptureQueriesContext(connection) as queries:
        tally.count(vote)
    return len(queries)


def bench_count(vote, repeat, ballots):
    from wagtail_dialog.methods.votes import tally

    count = tally.count(vote)
    assert count.ballots == ballots, count.ballots
    # The count and the bare GROUP BY agree on every option and channel.
    bare = {(option, channel): n for option, channel, n in bare_group_by(vote)}
    assert bare == {(result.option.pk, channel): n for result in count.options
                    for channel, n in result.by_channel.items()}
    ours = median_time(lambda: tally.count(vote), repeat)
    theirs = median_time(lambda: bare_group_by(vote), repeat)
    return report(f"count of {ballots:,} ballots", ours, theirs, 1.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--casts", type=int, default=500, help="POSTs of each kind for the casting measure")
    parser.add_argument("--only", choices=["cast", "count"], help="run one measure only")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, ballots: {args.ballots:,}, repeat: {args.repeat}")
        cast_in, vote = vote_pages()
        results = {}
        if args.only in (None, "cast"):
            ratio, queries = bench_cast(cast_in, args.casts)
            results.update(cast=round(ratio, 2), cast_queries=queries)
        if args.only in (None, "count"):
            fill(vote, 0, 1000)
            small = counted_queries(vote)
            fill(vote, 1000, args.ballots)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            big = counted_queries(vote)
            print(f"{'count queries at 1,000 / ' + format(args.ballots, ',') + ' ballots':<46} {small} / {big} "
                  f"{'ok (constant)' if big <= small else 'GROWS'}")
            results.update(count=round(bench_count(vote, args.repeat, args.ballots), 2), queries=[small, big])
        print(json.dumps({"database": connection.vendor, "ballots": args.ballots, **results}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
