"""How a ballot stays secret (docs/privacy.md, "Votes").

Two keys. The vote's own key is random, made when the vote first needs it and
kept in the database (``VoteKey``); the server key is a setting
(``WAGTAIL_DIALOG_VOTE_KEY``, by default derived from SECRET_KEY) and never in
the database. The codes handed out are kept as digests under the server key,
so that a code typed in can be checked and the database alone cannot check a
guess. A ballot carries a digest of the
credential it was cast with (a code, an email address, a browser's token)
under both keys together, so that casting again with the same credential finds
and replaces it, and nothing else can: with the database alone the ballot's
digest cannot be made from a code or an address, so nothing joins a ballot to
them. When the count is final the ballots' digests are emptied and the vote's
own key is deleted: then not even both keys find a ballot again.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.crypto import salted_hmac

from wagtail_dialog.conf import dialog_setting

#: Letters and digits no one mixes up when reading them aloud or off paper (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class VoteKey(models.Model):
    """A vote's own key: random, kept only until the count is final."""

    vote = models.OneToOneField("wagtail_dialog.VotePage", on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    key = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = "vote key"
        verbose_name_plural = "vote keys"


def server_key():
    """The server key: the setting, or one derived from SECRET_KEY (never the same bytes)."""
    configured = dialog_setting("VOTE_KEY")
    if configured:
        return str(configured).encode()
    return salted_hmac("wagtail_dialog.methods.votes.server-key", "", secret=settings.SECRET_KEY,
                       algorithm="sha256").digest()


def vote_key(vote):
    """The vote's own key, made the first time it is needed; None once the count is final. Kept on
    ``vote`` for the rest of the request (a code is checked, then its ballot cast)."""
    if getattr(vote, "_vote_key", None) is not None:
        return vote._vote_key
    found = VoteKey.objects.filter(vote_id=vote.pk).values_list("key", flat=True).first()
    if found is not None:
        vote._vote_key = bytes.fromhex(found)
        return vote._vote_key
    if getattr(vote, "count_final", False):
        return None
    try:
        with transaction.atomic():
            VoteKey.objects.create(vote_id=vote.pk, key=secrets.token_hex(32))
    except IntegrityError:  # made at the same moment by another request: theirs is the key
        pass
    return bytes.fromhex(VoteKey.objects.get(vote_id=vote.pk).key)


def forget_vote_key(vote):
    VoteKey.objects.filter(vote_id=vote.pk).delete()
    vote._vote_key = None


def normalised_code(code):
    """A code as stored: the alphabet's letters only, upper case (spaces and hyphens dropped)."""
    return "".join(character for character in str(code).upper() if character.isalnum())


def new_code(length=10):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def shown(code, group=5):
    """A code as printed: in groups with hyphens, easy to type in."""
    return "-".join(code[start:start + group] for start in range(0, len(code), group))


def code_digest(vote_pk, code):
    """What is kept of a handed-out code: its digest under the server key, for this vote only."""
    return hmac.new(server_key(), f"code|{vote_pk}|{normalised_code(code)}".encode(), hashlib.sha256).hexdigest()


def email_credential(address):
    """An email address as a credential: a keyed digest of it (the server key), which the link in the
    email carries instead of the address (``email_links``). The same address gives the same credential,
    so that a second ballot replaces the first; with the database and a web server's logs (which
    may hold the link) but not the server key, it leads to no ballot."""
    normalised = address.strip().casefold()
    mark = hmac.new(server_key(), f"email-address|{normalised}".encode(), hashlib.sha256).hexdigest()
    return f"email|{mark}"


def code_credential(code):
    return f"code|{normalised_code(code)}"


def browser_credential(token):
    return f"browser|{token}"


def ballot_digest(vote_pk, key, credential):
    """What a ballot carries of its credential: keyed with the server key and the vote's own key
    together, so that neither the database (which holds the vote's key) nor the server key alone
    can make it from a code or an address."""
    message = f"ballot|{vote_pk}|{key.hex()}|{credential}".encode()
    return hmac.new(server_key(), message, hashlib.sha256).hexdigest()
