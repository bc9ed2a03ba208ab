"""One-time codes (röstkoder): staff make them in batches to hand out at
libraries, schools and meetings or to post to households. A code is kept only
as a digest under the server key and is never linked to whom it was given
or to the ballot it cast; a batch can be voided (a lost pile, say), and its
codes stop working."""

import functools

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.methods.votes import secrecy

#: The most codes one batch may hold: its sheet (625 A4 pages) is made in about half a minute. A mailing to
#: every household is a few batches.
MAX_BATCH = 5_000


class CodeBatch(models.Model):
    """Codes made together for one place or one mailing."""

    vote = models.ForeignKey("wagtail_dialog.VotePage", on_delete=models.CASCADE, related_name="code_batches",
                             verbose_name=_("vote"))
    label = models.CharField(_("where they are handed out"), max_length=200,
                             help_text=_("E.g. “Stadsbiblioteket” or “Posted to households in Hemsjö”."))
    size = models.PositiveIntegerField(_("number of codes"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    voided = models.BooleanField(_("voided"), default=False,
                                 help_text=_("A voided batch's codes no longer work; ballots already cast count."))

    class Meta:
        verbose_name = _("batch of voting codes")
        verbose_name_plural = _("batches of voting codes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.label


class VoteCode(models.Model):
    """A code that may cast a ballot: only its digest."""

    vote = models.ForeignKey("wagtail_dialog.VotePage", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints = [models.UniqueConstraint(fields=["vote", "digest"], name="wagtail_dialog_vote_code_once")]


def make_batch(vote, label, size, user=None):
    """Make a batch of ``size`` new codes for ``vote``: (the batch, the codes in plain text). The plain
    codes exist only in what is returned (for the sheet to print): the database keeps their digests."""
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH} codes")
    # Made now, so that checking a code finds it in the same query (``code_state``).
    if secrecy.vote_key(vote) is None:
        raise ValueError("the count is final: no new codes")
    while True:
        codes = {secrecy.new_code() for _ in range(size)}
        while len(codes) < size:
            codes.add(secrecy.new_code())
        try:
            with transaction.atomic():
                batch = CodeBatch.objects.create(vote=vote, label=label, size=size, created_by=user)
                VoteCode.objects.bulk_create(
                    VoteCode(vote=vote, batch=batch, digest=secrecy.code_digest(vote.pk, code)) for code in codes)
        except IntegrityError:  # a code another batch holds already (about once in 10^10 codes): make them anew
            continue
        return batch, sorted(codes)


def void(batch):
    CodeBatch.objects.filter(pk=batch.pk).update(voided=True)


@functools.cache
def _code_statement():
    # Every ballot cast with a code asks this: written out once, not built by the ORM each time
    # (a join and a subquery cost more to compile than to run).
    quote = connection.ops.quote_name
    code, batch, key = (quote(model._meta.db_table) for model in (VoteCode, CodeBatch, secrecy.VoteKey))
    return (f"SELECT b.{quote('voided')}, k.{quote('key')} FROM {code} c "
            f"INNER JOIN {batch} b ON b.{quote('id')} = c.{quote('batch_id')} "
            f"LEFT JOIN {key} k ON k.{quote('vote_id')} = c.{quote('vote_id')} "
            f"WHERE c.{quote('vote_id')} = %s AND c.{quote('digest')} = %s")


def code_state(vote, code):
    """Whether ``code`` may cast a ballot in ``vote``: "valid", "voided" or "unknown" (as every code is
    once the count is final). The vote's own key comes in the same query, for the ballot to be cast."""
    if not secrecy.normalised_code(code):
        return "unknown"
    with connection.cursor() as cursor:
        cursor.execute(_code_statement(), [vote.pk, secrecy.code_digest(vote.pk, code)])
        found = cursor.fetchone()
    if found is None or found[1] is None:
        return "unknown"
    voided, vote._vote_key = found[0], bytes.fromhex(found[1])
    return "voided" if voided else "valid"


def codes_issued(vote):
    """How many codes of ``vote`` work (voided batches left out): turnout is counted against them."""
    return VoteCode.objects.filter(vote=vote, batch__voided=False).count()
