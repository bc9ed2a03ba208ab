"""One ballot per email address: the link in the email casts the ballot (once, within its hours,
never after closing), a second ballot from the same address replaces the first, and the address is
kept nowhere."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core import mail, signing

from tests.factories import make_vote
from tests.test_vote_public import _fresh_rate_limits  # noqa: F401  (autouse: each test its own rate limits)
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


def ask(client, vote, option, address=ADDRESS, action="cast"):
    return client.post(f"{vote.url}ballot/", {"options": str(option.pk), "email": address, "eligible": "on",
                                              "order": "3", "action": action, "website": ""})


def link_in(message):
    return unquote(re.search(r"http://\S+/confirm/\?t=\S+", message.body).group(0))


def confirm(client, link):
    return client.post(link.replace("http://testserver", ""))


def test_the_link_casts_the_ballot_once(client, vote):
    first = options_of(vote)[0]
    response = ask(client, vote, first)
    assert response.status_code == 302 and response["Location"].endswith("/check-email/#wd-receipt")
    assert not Ballot.objects.exists()  # nothing until the link is used
    assert mail.outbox[0].to == [ADDRESS] and first.title in mail.outbox[0].body
    link = link_in(mail.outbox[0])
    page = client.get(link.replace("http://testserver", ""))
    assert page.status_code == 200 and first.title in page.content.decode()
    assert not Ballot.objects.exists()  # opening the link casts nothing: the button does
    cast = confirm(client, link)
    assert cast.status_code == 302 and "/receipt/?receipt=" in cast["Location"]
    assert tally.count(vote).ballots_by_channel == {"web": 1}
    again = confirm(client, link)
    assert again.status_code == 410 and Ballot.objects.count() == 1


def test_a_second_ballot_from_the_same_address_replaces_the_first(client, vote):
    first, second, *_ = options_of(vote)
    ask(client, vote, first)
    confirm(client, link_in(mail.outbox[-1]))
    ask(client, vote, second, address="  anna.andersson@example.SE ")
    confirm(client, link_in(mail.outbox[-1]))
    ask(client, vote, second, address="bo@example.se")
    confirm(client, link_in(mail.outbox[-1]))
    votes = {result.option.pk: result.votes for result in tally.count(vote).options}
    assert votes[first.pk] == 0 and votes[second.pk] == 2 and Ballot.objects.count() == 2


def test_an_expired_or_broken_link_casts_nothing(client, vote, monkeypatch):
    ask(client, vote, options_of(vote)[0])
    link = link_in(mail.outbox[0])
    assert confirm(client, link[:-3] + "xyz").status_code == 404
    later = datetime.datetime.now().timestamp() + (email_links.LINK_HOURS + 1) * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = confirm(client, link)
    assert response.status_code == 404 and "fungerar inte längre" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_link_from_another_vote_does_not_work(client, vote, dialog):
    other = make_vote(dialog, slug="annan", method=VoteMethod.ONE, budget=None, credential=Credential.EMAIL)
    ask(client, other, options_of(other)[0])
    link = link_in(mail.outbox[0]).replace(other.url, vote.url)
    assert confirm(client, link).status_code == 404 and not Ballot.objects.exists()


def test_no_link_works_after_the_vote_closes(client, vote, dialog):
    ask(client, vote, options_of(vote)[0])
    link = link_in(mail.outbox[0])
    dialog.opens_on, dialog.closes_on = datetime.date.today() - datetime.timedelta(days=9), \
        datetime.date.today() - datetime.timedelta(days=1)
    dialog.save()
    assert confirm(client, link).status_code == 403 and not Ballot.objects.exists()


@pytest.mark.parametrize("address", ["", "inte-en-adress", "a@b", "x" * 300 + "@example.se"])
def test_a_bad_address_is_refused_and_nothing_sent(client, vote, address):
    response = ask(client, vote, options_of(vote)[0], address=address)
    assert response.status_code == 400 and mail.outbox == []


def test_the_address_is_kept_nowhere(client, vote):
    ask(client, vote, options_of(vote)[0])
    confirm(client, link_in(mail.outbox[0]))
    stored = " ".join(every_value_in_the_database()).casefold()
    assert "anna.andersson" not in stored and "example.se" not in stored
    # The link carries a keyed digest of the address, not the address, nor the ballot's own digest.
    token = link_in(mail.outbox[0]).split("t=", 1)[1]
    carried = signing.loads(token, salt=email_links._SALT)
    assert "example" not in str(carried).casefold()
    assert carried["c"] not in Ballot.objects.get().digest


def test_a_failed_email_casts_nothing_and_keeps_the_choices(client, vote, monkeypatch):
    from wagtail_dialog.methods.votes import views

    def broken(*args, **kwargs):
        raise OSError("the mail server is down")

    monkeypatch.setattr(views, "send_email", broken)
    response = ask(client, vote, options_of(vote)[0])
    assert response.status_code == 503 and " checked" in response.content.decode()
    assert ADDRESS in response.content.decode()


def test_the_final_count_forgets_the_spent_links(client, vote, dialog):
    ask(client, vote, options_of(vote)[0])
    confirm(client, link_in(mail.outbox[0]))
    assert email_links.SpentLink.objects.count() == 1
    dialog.opens_on, dialog.closes_on = datetime.date.today() - datetime.timedelta(days=9), \
        datetime.date.today() - datetime.timedelta(days=1)
    dialog.save()
    vote.refresh_from_db()
    ballots.finish_count(vote)
    assert not email_links.SpentLink.objects.exists()
