"""The same code used from several places at once, in threads of one process, each with its own
database connection: every code counts exactly once, its last ballot, on SQLite (the suite's
default) and on PostgreSQL (WAGTAIL_DIALOG_TEST_DB=postgres). tests/load/test_votes.py proves the
same on a real server."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from tests.factories import make_vote
from tests.test_meeting_seats_concurrency import all_at_once
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.votes import ballots, codes, secrecy, tally
from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice, Mark
from wagtail_dialog.methods.votes.kinds import Proof, VoteMethod

pytestmark = pytest.mark.django_db(transaction=True)

CODES = 8
CLIENTS_PER_CODE = 4


def test_a_code_used_by_several_clients_at_once_counts_once(dialog):
    vote = make_vote(dialog, method=VoteMethod.ONE, budget=None)
    options = list(vote.options.order_by("sort_order"))
    _, plain = codes.make_batch(vote, "Skolan", CODES)

    receipts = all_at_once([
        lambda code=code, n=n: (code, ballots.cast(vote, [options[n]], credential=secrecy.code_credential(code),
                                                   proof=Proof.CODE))
        for code in plain for n in range(CLIENTS_PER_CODE)
    ])

    assert Ballot.objects.filter(vote=vote).count() == CODES
    assert BallotChoice.objects.filter(vote=vote).count() == CODES
    # Each code's ballot is one of the ballots it cast: the last to commit.
    counted = set(ballots.receipts(vote))
    per_code = Counter(code for code, receipt in receipts if receipt in counted)
    assert per_code == {code: 1 for code in plain}
    count = tally.count(vote)
    assert count.ballots == CODES == sum(result.votes for result in count.options)


def test_a_ballot_cast_outside_a_transaction_is_stored_whole(dialog):
    # On PostgreSQL a credential's first ballot goes in as one statement (ballots._insert_at_once).
    vote = make_vote(dialog)
    options = list(vote.options.order_by("sort_order"))
    _, plain = codes.make_batch(vote, "Skolan", 1)
    first = ballots.cast(vote, options[:3], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    second = ballots.cast(vote, options[3:], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    stored = Ballot.objects.get(vote=vote)
    assert stored.receipt == second != first
    assert [(choice.option_id, choice.mark) for choice in stored.choices.all()] == [(options[3].pk, Mark.CODED_BALLOT)]
    assert tally.count(vote).ballots == 1


def test_the_final_count_waits_for_a_paper_ballot_being_typed_in(dialog):
    vote = make_vote(dialog)
    options = list(vote.options.order_by("sort_order"))
    _, plain = codes.make_batch(vote, "Biblioteket", 1)
    typing = threading.Event()

    def paper_ballot():
        try:
            with ballots.count_open(vote) as still_open:
                assert still_open
                typing.set()
                time.sleep(0.5)  # the count is made final meanwhile, elsewhere
                ballots.cast(vote, options[:2], credential=secrecy.code_credential(plain[0]), channel=Channel.PAPER,
                             proof=Proof.CODE)
        finally:
            connection.close()

    staff = threading.Thread(target=paper_ballot)
    staff.start()
    assert typing.wait(10)
    ballots.finish_count(vote)
    staff.join(30)
    # The ballot typed in is counted, and the final count emptied its digest too.
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert not Ballot.objects.filter(vote=vote).exclude(digest=None).exists()
    with ballots.count_open(vote) as still_open:
        assert not still_open
