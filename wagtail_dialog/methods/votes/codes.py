"""One-time codes (röstkoder): staff make them in batches to hand out at
libraries, schools and meetings or to post to households. A code is kept only
as a digest under the vote's own key and is never linked to whom it was given
or to the ballot it cast; a batch can be voided (a lost pile, say), and its
codes stop working."""

from django.conf import settings
from django.db import IntegrityError, models, transaction
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
    key = secrecy.vote_key(vote)
    if key is None:
        raise ValueError("the count is final: no new codes")
    while True:
        codes = {secrecy.new_code() for _ in range(size)}
        while len(codes) < size:
            codes.add(secrecy.new_code())
        try:
            with transaction.atomic():
                batch = CodeBatch.objects.create(vote=vote, label=label, size=size, created_by=user)
                VoteCode.objects.bulk_create(
                    VoteCode(vote=vote, batch=batch, digest=secrecy.code_digest(key, code)) for code in codes)
        except IntegrityError:  # a code another batch holds already (about once in 10^10 codes): make them anew
            continue
        return batch, sorted(codes)


def void(batch):
    CodeBatch.objects.filter(pk=batch.pk).update(voided=True)


def code_state(vote, code):
    """Whether ``code`` may cast a ballot in ``vote``: "valid", "voided" or "unknown"."""
    key = secrecy.vote_key(vote)
    if key is None or not secrecy.normalised_code(code):
        return "unknown"
    found = VoteCode.objects.filter(vote=vote, digest=secrecy.code_digest(key, code)).values_list(
        "batch__voided", flat=True).first()
    if found is None:
        return "unknown"
    return "voided" if found else "valid"


def codes_issued(vote):
    """How many codes of ``vote`` work (voided batches left out): turnout is counted against them."""
    return VoteCode.objects.filter(vote=vote, batch__voided=False).count()
