"""Votes: the rules a ballot is checked against, codes, casting and replacing a ballot, and the count."""

import pytest

from tests.factories import make_vote
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.votes import ballots, codes, secrecy, tally
from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice, BallotRefused, cast, check_choices
from wagtail_dialog.methods.votes.kinds import Proof, VoteMethod

pytestmark = pytest.mark.django_db


def options_of(vote):
    return list(vote.options.order_by("sort_order"))


def ids(*options):
    return [str(option.pk) for option in options]


def test_a_budget_ballot_within_the_budget_may_be_cast(dialog):
    vote = make_vote(dialog)
    lights, playground, jetty, track = options_of(vote)
    checked = check_choices(vote, options_of(vote), ids(lights, playground, jetty))
    assert checked.errors == []
    assert checked.total == 950_000
    assert checked.options == [lights, playground, jetty]


def test_a_budget_ballot_over_the_budget_is_refused_with_its_total(dialog):
    vote = make_vote(dialog)
    checked = check_choices(vote, options_of(vote), ids(*options_of(vote)))
    assert checked.total == 1_100_000
    assert len(checked.errors) == 1
    assert "1\xa0100\xa0000 kronor" in str(checked.errors[0])


def test_a_budget_ballot_under_the_minimum_share_is_refused(dialog):
    vote = make_vote(dialog, minimum_share=50)
    assert vote.minimum_total == 500_000
    lights, playground, jetty, track = options_of(vote)
    assert check_choices(vote, options_of(vote), ids(jetty, track)).errors  # 400 000
    assert check_choices(vote, options_of(vote), ids(lights, track)).errors == []  # 550 000


def test_up_to_n_options(dialog):
    vote = make_vote(dialog, method=VoteMethod.SEVERAL, max_choices=2)
    first, second, third, _ = options_of(vote)
    assert check_choices(vote, options_of(vote), ids(first, second)).errors == []
    assert str(check_choices(vote, options_of(vote), ids(first, second, third)).errors[0]) == (
        "Du får välja högst 2 alternativ; du valde 3.")


def test_one_option(dialog):
    vote = make_vote(dialog, method=VoteMethod.ONE)
    first, second, *_ = options_of(vote)
    assert check_choices(vote, options_of(vote), ids(first)).errors == []
    assert check_choices(vote, options_of(vote), ids(first, second)).errors
    assert check_choices(vote, options_of(vote), []).errors


@pytest.mark.parametrize("posted", [["999999"], ["x"], ["'; drop table"], [""]])
def test_an_option_not_on_the_ballot_is_refused(dialog, posted):
    vote = make_vote(dialog, method=VoteMethod.ONE)
    checked = check_choices(vote, options_of(vote), posted)
    assert checked.errors and checked.options == []


def test_the_same_option_twice_counts_once(dialog):
    vote = make_vote(dialog, method=VoteMethod.SEVERAL, max_choices=1)
    first = options_of(vote)[0]
    checked = check_choices(vote, options_of(vote), ids(first, first))
    assert checked.errors == [] and checked.options == [first]


def test_a_code_is_kept_only_as_a_digest_and_works_once_per_ballot(dialog):
    vote = make_vote(dialog)
    batch, plain = codes.make_batch(vote, "Stadsbiblioteket", 5)
    assert len(set(plain)) == 5 and batch.codes.count() == 5
    stored = set(codes.VoteCode.objects.values_list("digest", flat=True))
    assert not stored & set(plain)
    assert codes.code_state(vote, plain[0]) == "valid"
    # Typed in lower case, with the hyphen the sheet prints or spaces: the same code.
    assert codes.code_state(vote, secrecy.shown(plain[0]).lower()) == "valid"
    assert codes.code_state(vote, plain[0][:-1] + ("A" if plain[0][-1] != "A" else "B")) == "unknown"
    assert codes.code_state(vote, "") == "unknown"


def test_a_voided_batch_stops_its_codes_and_leaves_the_turnout_base(dialog):
    vote = make_vote(dialog)
    kept, _ = codes.make_batch(vote, "Skolan", 3)
    lost, plain = codes.make_batch(vote, "Borttappad bunt", 4)
    codes.void(lost)
    assert codes.code_state(vote, plain[0]) == "voided"
    assert codes.codes_issued(vote) == 3


def test_a_code_from_another_vote_does_not_work(dialog):
    vote = make_vote(dialog)
    other = make_vote(dialog, slug="annan")
    _, plain = codes.make_batch(other, "Skolan", 1)
    assert codes.code_state(vote, plain[0]) == "unknown"


def test_a_batch_has_a_size(dialog):
    vote = make_vote(dialog)
    for size in (0, codes.MAX_BATCH + 1):
        with pytest.raises(ValueError):
            codes.make_batch(vote, "x", size)


def test_casting_again_with_the_same_code_replaces_the_ballot(dialog):
    vote = make_vote(dialog)
    lights, playground, jetty, track = options_of(vote)
    _, plain = codes.make_batch(vote, "Skolan", 2)
    first = cast(vote, [lights], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    second = cast(vote, [playground, track], credential=secrecy.code_credential(secrecy.shown(plain[0])),
                  proof=Proof.CODE)
    other = cast(vote, [lights], credential=secrecy.code_credential(plain[1]), proof=Proof.CODE)
    assert Ballot.objects.filter(vote=vote).count() == 2
    assert not ballots.is_counted(vote, first)
    assert ballots.is_counted(vote, second) and ballots.is_counted(vote, other.lower())
    count = tally.count(vote)
    votes = {result.option.pk: result.votes for result in count.options}
    assert votes == {lights.pk: 1, playground.pk: 1, jetty.pk: 0, track.pk: 1}


def test_ballots_without_a_credential_each_count(dialog):
    vote = make_vote(dialog)
    lights = options_of(vote)[0]
    for _ in range(3):
        cast(vote, [lights], channel=Channel.PAPER, proof=Proof.IN_PERSON)
    assert tally.count(vote).ballots_by_channel == {Channel.PAPER: 3}


def test_the_count_per_option_and_channel_and_the_funded_options(dialog):
    vote = make_vote(dialog)
    lights, playground, jetty, track = options_of(vote)
    for chosen, channel, times in (([lights, track], Channel.WEB, 5), ([playground, jetty], Channel.WEB, 4),
                                   ([jetty, track], Channel.PAPER, 2), ([playground], Channel.PAPER, 1)):
        for _ in range(times):
            cast(vote, chosen, channel=channel, proof=Proof.IN_PERSON if channel == Channel.PAPER else Proof.OPEN)
    count = tally.count(vote)
    results = {result.option.pk: result for result in count.options}
    assert count.ballots == 12 and count.ballots_by_channel == {Channel.WEB: 9, Channel.PAPER: 3}
    assert results[track.pk].votes == 7 and results[track.pk].by_channel == {Channel.WEB: 5, Channel.PAPER: 2}
    assert results[jetty.pk].votes == 6 and results[lights.pk].votes == 5 and results[playground.pk].votes == 5
    assert round(results[track.pk].share, 1) == 58.3
    # 1 000 000: track 150 000, jetty 250 000, then lights and playground have 5 votes each:
    # the cheaper first (playground 300 000), and lights (400 000) no longer fits.
    assert [result.option for result in count.funded] == [track, jetty, playground]
    assert count.funded_total == 700_000 and not results[lights.pk].funded


def test_a_budget_passes_over_an_option_too_dear_for_what_is_left(dialog):
    vote = make_vote(dialog, options=(("Stort", 900_000, ""), ("Mellan", 200_000, ""), ("Litet", 100_000, "")))
    big, middle, small = options_of(vote)
    for chosen, times in (([big], 3), ([middle], 2), ([small], 1)):
        for _ in range(times):
            cast(vote, chosen)
    assert [result.option for result in tally.count(vote).funded] == [big, small]


def test_the_count_takes_the_same_queries_for_any_number_of_ballots(dialog, django_assert_num_queries):
    vote = make_vote(dialog)
    options = options_of(vote)
    codes.make_batch(vote, "Skolan", 3)
    cast(vote, options[:1], channel=Channel.PAPER, proof=Proof.CODE)
    # The options, the choices grouped, the codes issued.
    with django_assert_num_queries(3):
        tally.count(vote)
    for _ in range(20):
        cast(vote, options[1:3], channel=Channel.PAPER, proof=Proof.IN_PERSON)
        cast(vote, options[:1], channel=Channel.WEB, proof=Proof.CODE)
    with django_assert_num_queries(3):
        assert tally.count(vote).code_ballots == 21


def test_a_final_count_empties_the_digests_and_forgets_the_vote_key(dialog):
    vote = make_vote(dialog)
    _, plain = codes.make_batch(vote, "Skolan", 1)
    receipt = cast(vote, options_of(vote)[:1], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    ballots.finish_count(vote)
    assert vote.count_final
    assert list(Ballot.objects.values_list("digest", flat=True)) == [None]
    assert not secrecy.VoteKey.objects.filter(vote_id=vote.pk).exists()
    assert secrecy.vote_key(vote) is None
    assert ballots.is_counted(vote, receipt)
    with pytest.raises(BallotRefused):
        cast(vote, options_of(vote)[:1], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    assert codes.code_state(vote, plain[0]) == "unknown"


def test_the_published_receipts_are_codes_only(dialog):
    vote = make_vote(dialog)
    made = sorted(cast(vote, options_of(vote)[:1]) for _ in range(3))
    assert list(ballots.receipts(vote)) == made
    assert all(len(receipt) == ballots.RECEIPT_LENGTH and set(receipt) <= set(secrecy.ALPHABET) for receipt in made)
    assert BallotChoice.objects.count() == 3
