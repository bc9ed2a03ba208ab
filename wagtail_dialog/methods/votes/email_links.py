"""One ballot per email address: the address gets a link that opens the ballot.
The email proves the address and nothing else: the resident chooses after
opening the link, so neither the email nor the link holds a choice. The link
carries a keyed digest of the address (never the address, nor the ballot's own
digest) and a random number, signed and dated; it casts one ballot (the random
number, as a digest, is kept until the count is final) within ``LINK_HOURS``
hours, never after the vote closes. The address is used to send the email and
is then forgotten: it is in no table, task or log."""

import hashlib
import uuid

from django.core import signing
from django.db import IntegrityError, models, transaction

from wagtail_dialog.methods.votes import secrecy

#: How long a link works.
LINK_HOURS = 48
_SALT = "wagtail_dialog.methods.votes.email_links"


class SpentLink(models.Model):
    """That an email link has cast its ballot: a digest of its random number, nothing else."""

    # Random keys: no order of their own.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey("wagtail_dialog.VotePage", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = "spent email link"
        verbose_name_plural = "spent email links"
        constraints = [models.UniqueConstraint(fields=["vote", "digest"], name="wagtail_dialog_vote_link_once")]


def link_token(vote, address):
    """What the link in the email carries, signed and dated."""
    credential = secrecy.email_credential(address).split("|", 1)[1]
    return signing.dumps({"v": vote.pk, "c": credential, "n": secrecy.new_code(16)}, salt=_SALT)


def read(vote, token):
    """(credential, random number) from a link of ``vote`` that is whole, not too old and not used;
    else "expired", "used" or "invalid"."""
    try:
        found = signing.loads(str(token), salt=_SALT, max_age=LINK_HOURS * 60 * 60)
    except signing.SignatureExpired:
        return "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return "invalid"
    if not isinstance(found, dict) or found.get("v") != vote.pk:
        return "invalid"
    credential, number = found.get("c"), found.get("n")
    if not (isinstance(credential, str) and isinstance(number, str)):
        return "invalid"
    if SpentLink.objects.filter(vote_id=vote.pk, digest=_digest(vote, number)).exists():
        return "used"
    return f"email|{credential}", number


def _digest(vote, number):
    return hashlib.sha256(f"{vote.pk}|{number}".encode()).hexdigest()


def spend(vote, number):
    """Mark the link with the random ``number`` as used; False if it was already. Call it in the
    transaction that casts the link's ballot, so that a failure leaves the link working."""
    digest = _digest(vote, number)
    try:
        with transaction.atomic():
            SpentLink.objects.create(vote_id=vote.pk, digest=digest)
    except IntegrityError:
        return False
    return True


def forget(vote):
    """At the final count: no link can be used again anyway (the vote is closed)."""
    SpentLink.objects.filter(vote_id=vote.pk).delete()
