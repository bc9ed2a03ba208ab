"""Benchmarks for votes, measured in one run.

    .venv/bin/python bench/votes.py                  # SQLite
    WAGTAIL_DIALOG_TEST_DB=postgres .venv/bin/python bench/votes.py
    .venv/bin/python bench/votes.py --ballots 10000  # a quicker run

1. counting: median time of the count of a budget vote (``methods.votes.tally.count``: votes per
   option and channel, ballots per channel, codes issued, the funded options) at --ballots
   ballots, against a bare ``GROUP BY`` over the same choice rows in SQL (target <= 1.5x), and the
   count's queries at 1,000 and at --ballots ballots (must not grow)

This is a script, not a test: timings depend on the machine. It builds its
own throwaway test database and removes it afterwards.
"""

import argparse
import json
import random

import common  # noqa: F401  (sets Django up first)
from common import median_time, report  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

OPTIONS = [(f"Förslag {n}", cost, "Landsbygden") for n, cost in enumerate(
    (400_000, 300_000, 250_000, 150_000, 120_000, 90_000, 60_000, 30_000), start=1)]


def vote_page():
    from tests.factories import make_dialog, make_index, make_vote
    from wagtail_dialog.methods.votes import codes

    vote = make_vote(make_dialog(make_index(), title="Bench", slug="bench"), options=OPTIONS)
    codes.make_batch(vote, "Hushåll", 5000)
    return vote


def fill(vote, start, stop):
    """Ballots start..stop: one to three options each, four in five on the web."""
    from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice
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
            choices.extend(BallotChoice(ballot=ballot, vote=vote, option=option, channel=channel, first=not m)
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
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, ballots: {args.ballots:,}, repeat: {args.repeat}")
        vote = vote_page()
        fill(vote, 0, 1000)
        small = counted_queries(vote)
        fill(vote, 1000, args.ballots)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        big = counted_queries(vote)
        print(f"{'count queries at 1,000 / ' + format(args.ballots, ',') + ' ballots':<46} {small} / {big} "
              f"{'ok (constant)' if big <= small else 'GROWS'}")
        ratio = bench_count(vote, args.repeat, args.ballots)
        print(json.dumps({"database": connection.vendor, "ballots": args.ballots, "count": round(ratio, 2),
                          "queries": [small, big]}))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
