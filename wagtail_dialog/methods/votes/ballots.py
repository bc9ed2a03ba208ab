"""Ballots: what a resident chose, by which channel, and a receipt code to find
it among those counted. Nothing about who cast it: no time, no address, no
code, no user, and random keys (the database's own order of rows remains:
docs/privacy.md, "What remains").

A ballot cast again with the same credential replaces the earlier one (the
last counts); the two never both count, even when the same code is used from
several places at once.
"""

import secrets
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.votes import email_links, secrecy
from wagtail_dialog.methods.votes.kinds import Proof, VoteMethod

#: The channels a ballot comes in by: on the web, or on paper typed in by staff.
BALLOT_CHANNELS = (Channel.WEB, Channel.PAPER)
RECEIPT_LENGTH = 8


class Ballot(models.Model):
    """One counted ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey("wagtail_dialog.VotePage", on_delete=models.CASCADE, related_name="ballots",
                             verbose_name=_("vote"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    proof = models.CharField(_("cast with"), max_length=20, choices=Proof.choices)
    # The credential under both keys (methods.votes.secrecy); emptied when the count is final.
    digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    receipt = models.CharField(_("receipt code"), max_length=RECEIPT_LENGTH, editable=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "digest"], name="wagtail_dialog_ballot_once"),
            models.UniqueConstraint(fields=["vote", "receipt"], name="wagtail_dialog_ballot_receipt"),
        ]
        indexes = [models.Index(fields=["vote", "channel"])]


class Mark(models.IntegerChoices):
    """What a choice counts for beside its option."""

    CHOICE = 0, "another choice on its ballot"
    BALLOT = 1, "its ballot"
    CODED_BALLOT = 2, "its ballot, cast with a code"


def mark(n, proof):
    """The mark of a ballot's ``n``-th choice (from 0)."""
    if n:
        return Mark.CHOICE
    return Mark.CODED_BALLOT if proof == Proof.CODE else Mark.BALLOT


class BallotChoice(models.Model):
    """An option chosen on a ballot. The vote and channel are repeated here, and what the ballot was
    cast with marked, so that the count is one GROUP BY over this table alone (``methods.votes.tally``)."""

    # Random keys: the choices, like the ballots, carry no order of their own.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    vote = models.ForeignKey("wagtail_dialog.VotePage", on_delete=models.CASCADE, related_name="+")
    # An option that has votes cannot go (the page's form says so; publishing an old revision without it
    # fails rather than dropping its votes); deleting the whole vote takes its ballots with it.
    option = models.ForeignKey("wagtail_dialog.VoteOption", on_delete=models.RESTRICT, related_name="choices")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # One choice per ballot is marked as its ballot's: counting those in the same GROUP BY counts the
    # ballots (per channel, and those cast with a code) without a second pass over the ballots.
    mark = models.PositiveSmallIntegerField(choices=Mark.choices, default=Mark.CHOICE)

    class Meta:
        verbose_name = _("choice on a ballot")
        verbose_name_plural = _("choices on ballots")
        indexes = [models.Index(fields=["vote", "option", "channel", "mark"])]


def kronor(amount):
    return number_format(amount, decimal_pos=0, force_grouping=True)


@dataclass
class Checked:
    """A ballot's choices checked against the vote's rules: the options chosen, their total cost
    (for a budget) and what is wrong, in words for the resident (empty when it may be cast)."""

    options: list
    total: int
    errors: list


def check_choices(vote, options, chosen):
    """Check the option ids ``chosen`` (strings or ints, as posted) against ``vote``'s rules and its
    ``options`` (the options on the ballot). Recalculated on the server at every step."""
    by_id = {str(option.pk): option for option in options}
    wanted = list(dict.fromkeys(str(value) for value in chosen))
    picked = [by_id[value] for value in wanted if value in by_id]
    errors = []
    if len(picked) < len(wanted):
        errors.append(_("One of your choices is not on the ballot (any longer). Check your choices again."))
    total = sum(option.cost or 0 for option in picked)
    if not picked:
        errors.append(_("Choose an option.") if vote.method == VoteMethod.ONE else _("Choose at least one option."))
    elif vote.method == VoteMethod.ONE and len(picked) > 1:
        errors.append(_("Choose only one option."))
    elif vote.method == VoteMethod.SEVERAL and vote.max_choices and len(picked) > vote.max_choices:
        errors.append(ngettext("You may choose at most %(most)d option; you chose %(count)d.",
                               "You may choose at most %(most)d options; you chose %(count)d.",
                               vote.max_choices) % {"most": vote.max_choices, "count": len(picked)})
    elif vote.method == VoteMethod.BUDGET:
        if total > vote.budget:
            errors.append(_("Your choices cost %(total)s kronor, more than the budget of %(budget)s kronor. "
                            "Remove something.") % {"total": kronor(total), "budget": kronor(vote.budget)})
        elif total < vote.minimum_total:
            errors.append(_("Your choices must come to at least %(least)s kronor (%(share)d%% of the budget); "
                            "they come to %(total)s kronor. Add something.")
                          % {"least": kronor(vote.minimum_total), "share": vote.minimum_share,
                             "total": kronor(total)})
    return Checked(options=picked, total=total, errors=errors)


def _receipt():
    return "".join(secrets.choice(secrecy.ALPHABET) for _ in range(RECEIPT_LENGTH))


class BallotRefused(Exception):
    """The ballot cannot be cast: the count is final."""


#: SQLite lets one connection write at a time and, sharing a cache between threads (as the tests'
#: in-memory database does), fails at once instead of waiting: a process's casts take turns.
#: Re-entrant: a paper ballot is cast (``cast``) inside ``count_open``, both holding it.
_SQLITE_WRITER = threading.RLock()


@contextmanager
def _one_writer():
    if connection.vendor != "sqlite":
        yield
        return
    with _SQLITE_WRITER:
        yield


def _in_one_statement():
    """Whether a new ballot and its choices can go in as one statement: on PostgreSQL, outside a
    transaction, one statement commits whole or not at all, with a round trip less than BEGIN,
    two INSERTs and COMMIT."""
    return connection.vendor == "postgresql" and connection.get_autocommit() and not connection.in_atomic_block


def _insert_at_once(vote, options, channel, proof, digest, receipt):
    """Insert the ballot and its choices in one statement; False, inserting nothing, when the ballot's
    digest (or its receipt) is taken. ON CONFLICT, not a failed INSERT: a unique violation would put
    the digest and the statement's values into PostgreSQL's error log."""
    # The ballot in a data-modifying WITH, its choices from what it returns (none on a conflict); the
    # choices' key to the ballot is checked at the end of the statement (Django makes it DEFERRABLE).
    quote = connection.ops.quote_name
    ballot_id = uuid.uuid4()
    columns = ", ".join(quote(name) for name in ("id", "ballot_id", "vote_id", "option_id", "channel", "mark"))
    rows = ", ".join(["(%s::bigint, %s::smallint)"] * len(options))
    statement = (
        f"WITH ballot AS (INSERT INTO {quote(Ballot._meta.db_table)} "
        f"({', '.join(quote(name) for name in ('id', 'vote_id', 'channel', 'proof', 'digest', 'receipt'))}) "
        f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING {quote('id')}) "
        f"INSERT INTO {quote(BallotChoice._meta.db_table)} ({columns}) "
        f"SELECT gen_random_uuid(), ballot.{quote('id')}, %s, chosen.option_id, %s, chosen.mark FROM ballot, "
        f"(VALUES {rows}) AS chosen (option_id, mark)")
    values = [ballot_id, vote.pk, channel, proof, digest, receipt, vote.pk, channel]
    for n, option in enumerate(options):
        values += [option.pk, int(mark(n, proof))]
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        return cursor.rowcount > 0


def _look_first():
    """Whether to look for an earlier ballot before inserting: where a failed INSERT is written to a
    server's error log (PostgreSQL, MySQL), with the digest in it. SQLite keeps no such log: there the
    first ballot is inserted straight away, and a taken digest makes the next attempt replace it."""
    return connection.vendor != "sqlite"


def cast(vote, options, *, credential=None, channel=Channel.WEB, proof=Proof.OPEN, attempts=8):
    """Cast a ballot for ``options`` (checked with ``check_choices``) in ``vote``; returns its receipt
    code. With a ``credential`` (``secrecy.*_credential``) a ballot cast with it before is replaced:
    the last one counts. Each attempt is its own transaction, so that when the same credential is
    used at the same moment elsewhere, one of them commits first and the other, trying again,
    replaces it."""
    digest = None
    if credential is not None:
        key = secrecy.vote_key(vote)
        if key is None:
            raise BallotRefused
        digest = secrecy.ballot_digest(vote.pk, key, credential)
    # A credential's first ballot is inserted straight away where that fails quietly (ON CONFLICT on
    # PostgreSQL, SQLite); otherwise an earlier ballot with its digest is looked for first and replaced.
    # On PostgreSQL a unique violation happens only when the same credential is used at the same
    # moment elsewhere.
    replace = False
    for attempt in range(attempts):
        try:
            if not replace and _in_one_statement():
                receipt = _receipt()
                if _insert_at_once(vote, options, channel, proof, digest, receipt):
                    return receipt
                replace = digest is not None
                continue
            with _one_writer(), transaction.atomic():
                if digest is not None and (replace or _look_first() and Ballot.objects.filter(
                        vote=vote, digest=digest).exists()):
                    Ballot.objects.filter(vote=vote, digest=digest).delete()
                receipt = _receipt()
                # Inserted as rows, without save(): nothing listens to a ballot being saved, and nothing may.
                ballot = Ballot(vote=vote, channel=channel, proof=proof, digest=digest, receipt=receipt)
                Ballot.objects.bulk_create([ballot])
                BallotChoice.objects.bulk_create(
                    BallotChoice(ballot=ballot, vote=vote, option=option, channel=channel, mark=mark(n, proof))
                    for n, option in enumerate(options))
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            replace = digest is not None
            continue
        return receipt
    raise BallotRefused


def _lock(vote):
    """Lock ``vote``'s page row until the transaction ends; return its count_final_at."""
    return type(vote).objects.select_for_update().filter(pk=vote.pk).values_list("count_final_at", flat=True).first()


@contextmanager
def count_open(vote):
    """A transaction in which the count of ``vote`` cannot be made final: staff typing in a paper
    ballot while someone else makes the count final would otherwise keep a ballot's digest after
    it. Yields whether the count is still open (False: it is final, cast nothing)."""
    with _one_writer(), transaction.atomic():
        yield _lock(vote) is None


def finish_count(vote):
    """Make the count final: no ballot can be found again, by anyone (docs/privacy.md)."""
    now = timezone.now()
    with _one_writer(), transaction.atomic():
        # Waits for a paper ballot being typed in (``count_open``): it is counted, and its digest emptied.
        _lock(vote)
        type(vote).objects.filter(pk=vote.pk).update(count_final_at=now)
        Ballot.objects.filter(vote=vote).exclude(digest=None).update(digest=None)
        secrecy.forget_vote_key(vote)
        email_links.forget(vote)
    vote.count_final_at = now


def receipts(vote):
    """The receipt codes of the ballots counted, sorted: published so that each resident can see that
    their ballot is there (a list of codes, never of choices)."""
    return Ballot.objects.filter(vote=vote).order_by("receipt").values_list("receipt", flat=True)


def is_counted(vote, receipt):
    return Ballot.objects.filter(vote=vote, receipt=secrecy.normalised_code(receipt)).exists()
