"""The ballot is secret by design: with the whole database in hand, nothing joins a ballot to a
code, an email address or a browser's token, nor to the time it was cast or who typed it in."""

import hashlib
import hmac
import uuid

import pytest
from django.apps import apps
from django.db import models
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.factories import make_vote
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.votes import codes, secrecy
from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice, cast
from wagtail_dialog.methods.votes.kinds import Proof

pytestmark = pytest.mark.django_db

EMAILS = ("anna@example.se", "Bo.Ek@Example.se")
BROWSER_TOKENS = ("b1f0c2d9e8a7", "0a9b8c7d6e5f")


def every_value_in_the_database():
    """Every stored value of every model of every installed app, as text."""
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values_list(*[field.attname for field in model._meta.concrete_fields]):
            for value in row:
                if value is not None:
                    yield str(value)


@pytest.fixture
def cast_vote(dialog):
    vote = make_vote(dialog)
    options = list(vote.options.order_by("sort_order"))
    _, plain = codes.make_batch(vote, "Stadsbiblioteket", 4)
    for code in plain[:3]:
        cast(vote, options[:2], credential=secrecy.code_credential(code), proof=Proof.CODE)
    cast(vote, options[1:], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)  # changed
    for address in EMAILS:
        cast(vote, options[2:], credential=secrecy.email_credential(address), proof=Proof.OPEN)
    for token in BROWSER_TOKENS:
        cast(vote, options[:1], credential=secrecy.browser_credential(token), proof=Proof.OPEN)
    cast(vote, options[3:], channel=Channel.PAPER, proof=Proof.IN_PERSON)
    return vote, plain


def test_a_ballot_has_no_link_to_codes_people_or_time():
    for model in (Ballot, BallotChoice):
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                assert field.related_model._meta.model_name in {"votepage", "voteoption", "ballot", "ballotchoice"}, (
                    f"{model.__name__}.{field.name} links a ballot to {field.related_model.__name__}")
            assert not isinstance(field, (models.DateField, models.TimeField)), f"{model.__name__}.{field.name}"
    # Random keys: the order of the keys says nothing about the order ballots were cast in.
    assert Ballot._meta.pk.default is uuid.uuid4


def test_no_code_address_or_token_is_stored_in_any_form_that_the_database_alone_can_make(cast_vote):
    vote, plain = cast_vote
    stored = set(every_value_in_the_database())
    secrets_in_plain = [*plain, *(secrecy.shown(code) for code in plain), *EMAILS,
                        *(address.casefold() for address in EMAILS), *BROWSER_TOKENS]
    assert not [value for value in stored for secret in secrets_in_plain if secret in value]
    ballot_digests = set(Ballot.objects.exclude(digest=None).values_list("digest", flat=True))
    assert len(ballot_digests) == 3 + 2 + 2
    # Everything the database holds that could key a digest: the vote's own key and the codes' digests.
    vote_key = bytes.fromhex(secrecy.VoteKey.objects.get(vote_id=vote.pk).key)
    credentials = [*(secrecy.code_credential(code) for code in plain),
                   *(secrecy.email_credential(address) for address in EMAILS),
                   *(secrecy.browser_credential(token) for token in BROWSER_TOKENS)]
    made_from_the_database = set()
    for credential in credentials:
        for key in (vote_key, vote_key.hex().encode()):
            for message in (credential, f"ballot|{vote.pk}|{vote_key.hex()}|{credential}",
                            f"code|{credential.split('|', 1)[1]}"):
                made_from_the_database.add(hmac.new(key, message.encode(), hashlib.sha256).hexdigest())
        made_from_the_database.add(hashlib.sha256(credential.encode()).hexdigest())
    # Neither a ballot's digest nor a code's can be made from what the database holds, and no stored
    # value equals a ballot's digest outside the ballots.
    code_digests = set(codes.VoteCode.objects.values_list("digest", flat=True))
    assert not ballot_digests & made_from_the_database and not code_digests & made_from_the_database
    assert not ballot_digests & (stored - ballot_digests)
    # With the server key (outside the database) a code can be checked, and with both keys the
    # credential finds its ballot: that is what lets a resident change their ballot until the count
    # is final.
    assert {secrecy.code_digest(vote.pk, code) for code in plain} == code_digests
    with_both_keys = {secrecy.ballot_digest(vote.pk, vote_key, credential) for credential in credentials}
    assert ballot_digests <= with_both_keys


def test_casting_writes_no_log_or_history(dialog):
    vote = make_vote(dialog)
    _, plain = codes.make_batch(vote, "Skolan", 1)
    before = ModelLogEntry.objects.count(), PageLogEntry.objects.count()
    cast(vote, list(vote.options.all())[:1], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    assert (ModelLogEntry.objects.count(), PageLogEntry.objects.count()) == before


def test_after_the_final_count_not_even_both_keys_find_a_ballot(cast_vote):
    from wagtail_dialog.methods.votes.ballots import finish_count

    vote, plain = cast_vote
    finish_count(vote)
    assert not Ballot.objects.exclude(digest=None).exists()
    assert not secrecy.VoteKey.objects.exists()
    assert Ballot.objects.filter(vote=vote).count() == 8


def test_the_server_key_is_never_the_secret_key_itself(settings):
    settings.WAGTAIL_DIALOG_VOTE_KEY = None
    assert settings.SECRET_KEY.encode() not in secrecy.server_key()
    settings.WAGTAIL_DIALOG_VOTE_KEY = "en egen nyckel"
    assert secrecy.server_key() == b"en egen nyckel"
