"""One ballot per email address: the email carries a link to the ballot (no choices), the link casts
one ballot within its hours and never after closing, a second ballot from the same address replaces
the first, and the address is kept nowhere."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core import mail, signing

from tests.factories import make_vote
from tests.test_vote_public import _fresh_rate_limits  # noqa: F401  (autouse: each test its own rate limits)
from tests.test_vote_public import receipt_of
from tests.test_vote_secrecy import every_value_in_the_database
from wagtail_dialog.methods.votes import ballots, email_links, tally
from wagtail_dialog.methods.votes.ballots import Ballot
from wagtail_dialog.methods.votes.kinds import Credential, VoteMethod

pytestmark = pytest.mark.django_db
ADDRESS = "Anna.Andersson@Example.se"


@pytest.fixture
def vote(dialog):
    return make_vote(dialog, method=VoteMethod.ONE, budget=None, credential=Credential.EMAIL)


def options_of(vote):
    return list(vote.options.order_by("sort_order"))


def ask(client, vote, address=ADDRESS):
    return client.post(f"{vote.url}ballot/", {"email": address, "action": "link", "website": ""})


def token_in(message):
    return unquote(re.search(r"/ballot/\?t=(\S+)", message.body).group(1))


def cast(client, vote, token, option, action="cast"):
    return client.post(f"{vote.url}ballot/", {"options": str(option.pk), "link": token, "eligible": "on",
                                              "order": "3", "action": action, "website": ""})


def test_the_email_holds_a_link_to_the_ballot_and_no_choice(client, vote):
    assert "name=\"email\"" in client.get(f"{vote.url}ballot/").content.decode()  # the first step
    response = ask(client, vote)
    assert response.status_code == 302 and response["Location"].endswith("/check-email/#wd-receipt")
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert not any(option.title in message.body for option in options_of(vote))
    token = token_in(message)
    ballot = client.get(f"{vote.url}ballot/", {"t": token})
    assert ballot.status_code == 200 and options_of(vote)[0].title in ballot.content.decode()
    assert not Ballot.objects.exists()


def test_the_link_casts_one_ballot(client, vote):
    first = options_of(vote)[0]
    ask(client, vote)
    token = token_in(mail.outbox[0])
    assert cast(client, vote, token, first, action="review").status_code == 200
    assert not Ballot.objects.exists()  # reviewing casts nothing
    receipt = receipt_of(cast(client, vote, token, first))
    assert ballots.is_counted(vote, receipt)
    assert cast(client, vote, token, first).status_code == 400  # used: told so, nothing cast
    assert client.get(f"{vote.url}ballot/", {"t": token}).status_code == 410
    assert Ballot.objects.count() == 1


def test_a_second_ballot_from_the_same_address_replaces_the_first(client, vote):
    first, second, *_ = options_of(vote)
    ask(client, vote)
    receipt_of(cast(client, vote, token_in(mail.outbox[-1]), first))
    ask(client, vote, address="  anna.andersson@example.SE ")
    receipt_of(cast(client, vote, token_in(mail.outbox[-1]), second))
    ask(client, vote, address="bo@example.se")
    receipt_of(cast(client, vote, token_in(mail.outbox[-1]), second))
    votes = {result.option.pk: result.votes for result in tally.count(vote).options}
    assert votes[first.pk] == 0 and votes[second.pk] == 2 and Ballot.objects.count() == 2


def test_an_expired_or_broken_link_casts_nothing(client, vote, monkeypatch):
    ask(client, vote)
    token = token_in(mail.outbox[0])
    assert client.get(f"{vote.url}ballot/", {"t": token[:-3] + "xyz"}).status_code == 404
    assert cast(client, vote, token[:-3] + "xyz", options_of(vote)[0]).status_code == 400
    later = datetime.datetime.now().timestamp() + (email_links.LINK_HOURS + 1) * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(f"{vote.url}ballot/", {"t": token})
    assert response.status_code == 410 and "fungerar inte längre" in response.content.decode()
    assert cast(client, vote, token, options_of(vote)[0]).status_code == 400
    assert not Ballot.objects.exists()


def test_a_link_from_another_vote_does_not_work(client, vote, dialog):
    other = make_vote(dialog, slug="annan", method=VoteMethod.ONE, budget=None, credential=Credential.EMAIL)
    ask(client, other)
    token = token_in(mail.outbox[0])
    assert cast(client, vote, token, options_of(vote)[0]).status_code == 400 and not Ballot.objects.exists()


def test_no_link_works_after_the_vote_closes(client, vote, dialog):
    ask(client, vote)
    token = token_in(mail.outbox[0])
    dialog.opens_on, dialog.closes_on = datetime.date.today() - datetime.timedelta(days=9), \
        datetime.date.today() - datetime.timedelta(days=1)
    dialog.save()
    assert cast(client, vote, token, options_of(vote)[0]).status_code == 403 and not Ballot.objects.exists()


@pytest.mark.parametrize("address", ["", "inte-en-adress", "a@b", "x" * 300 + "@example.se"])
def test_a_bad_address_is_refused_and_nothing_sent(client, vote, address):
    response = ask(client, vote, address=address)
    assert response.status_code == 400 and mail.outbox == []


def test_the_address_is_kept_nowhere(client, vote):
    ask(client, vote)
    token = token_in(mail.outbox[0])
    receipt_of(cast(client, vote, token, options_of(vote)[0]))
    stored = " ".join(every_value_in_the_database()).casefold()
    assert "anna.andersson" not in stored and "example.se" not in stored
    # The link carries a keyed digest of the address, not the address, nor the ballot's own digest.
    carried = signing.loads(token, salt=email_links._SALT)
    assert set(carried) == {"v", "c", "n"} and "example" not in str(carried).casefold()
    assert carried["c"] not in Ballot.objects.get().digest


def test_a_failed_email_is_said_and_keeps_the_address(client, vote, monkeypatch):
    from wagtail_dialog.methods.votes import views

    def broken(*args, **kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr(views, "send_email", broken)
    response = ask(client, vote)
    assert response.status_code == 503 and ADDRESS in response.content.decode()


def test_the_final_count_forgets_the_spent_links(client, vote, dialog):
    ask(client, vote)
    receipt_of(cast(client, vote, token_in(mail.outbox[0]), options_of(vote)[0]))
    assert email_links.SpentLink.objects.count() == 1
    dialog.opens_on, dialog.closes_on = datetime.date.today() - datetime.timedelta(days=9), \
        datetime.date.today() - datetime.timedelta(days=1)
    dialog.save()
    vote.refresh_from_db()
    ballots.finish_count(vote)
    assert not email_links.SpentLink.objects.exists()
