"""Staff and votes: the permission matrix over every vote URL, code batches and their sheet,
voiding, paper ballots, and the final count."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_vote
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_permissions import make_group, make_user, outcome
from wagtail_dialog.methods.votes import ballots, codes, secrecy, sheets, tally
from wagtail_dialog.methods.votes.ballots import Ballot
from wagtail_dialog.methods.votes.kinds import Proof

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def vote_a(dialog_a):
    return make_vote(dialog_a)


@pytest.fixture
def everyone(users, django_user_model):
    group = make_group("Dialog moderators", perms=["wagtail_dialog.moderate_contribution"])
    return {**users, "dialog_moderator": make_user(django_user_model, "dialogmod", groups=[group])}


def url(name, vote, *args):
    return reverse(name, args=[vote.pk, *args])


def closed(vote):
    dialog = vote.dialog
    dialog.opens_on, dialog.closes_on = datetime.date.today() - 10 * DAY, datetime.date.today() - DAY
    dialog.save()
    vote.refresh_from_db()
    vote._dialog = dialog
    return vote


def options_of(vote):
    return list(vote.options.order_by("sort_order"))


WHO = ["anonymous", "editor", "moderator_a", "moderator_b", "dialog_moderator", "superuser"]
MANAGE = ["login", "denied", "ok", "denied", "ok", "ok"]


@pytest.mark.parametrize("name", ["wagtail_dialog_vote", "wagtail_dialog_vote_paper"])
def test_permission_matrix_over_every_vote_admin_page(name, everyone, login, vote_a):
    got = [outcome(login(everyone[who]).get(url(name, vote_a))) for who in WHO]
    assert got == MANAGE, dict(zip(WHO, got))


def test_permission_matrix_over_every_vote_admin_form(everyone, login, vote_a):
    paper = {"options": [str(options_of(vote_a)[0].pk)], "eligible": "on"}
    for who in WHO:
        batch, _ = codes.make_batch(vote_a, "Skolan", 1)
        got = [
            outcome(login(everyone[who]).post(url("wagtail_dialog_vote_codes", vote_a), {"label": "Bibblan",
                                                                                         "size": "2"})),
            outcome(login(everyone[who]).post(url("wagtail_dialog_vote_void", vote_a, batch.pk))),
            outcome(login(everyone[who]).post(url("wagtail_dialog_vote_paper", vote_a), paper)),
        ]
        expected = MANAGE[WHO.index(who)]
        assert got == [expected] * 3, (who, got)
    # Only those allowed made batches and cast paper ballots: moderator A, the dialog moderator, the superuser.
    assert Ballot.objects.count() == 3
    assert codes.CodeBatch.objects.filter(label="Bibblan").count() == 3
    assert codes.CodeBatch.objects.filter(voided=True).count() == 3


def test_the_final_count_is_for_those_who_manage_the_vote(everyone, login, vote_a):
    closed(vote_a)
    got = [outcome(login(everyone[who]).post(url("wagtail_dialog_vote_final", vote_a))) for who in WHO[:-1]]
    assert got == MANAGE[:-1]
    vote_a.refresh_from_db()
    assert vote_a.count_final


def test_the_public_vote_urls_are_for_everyone(everyone, login, vote_a):
    for suffix, status in (("", 200), ("ballot/", 200), ("receipt/", 200), ("receipts/", 200), ("results/", 404),
                           ("check-email/", 200)):
        got = {login(everyone[who]).get(vote_a.url + suffix).status_code for who in WHO}
        assert got == {status}, suffix


def test_a_batch_answers_with_its_sheet_and_keeps_only_digests(everyone, login, vote_a):
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_vote_codes", vote_a),
                                                   {"label": "Stadsbiblioteket", "size": "9"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert 'filename="omrostning-stadsbiblioteket-' in response["Content-Disposition"]
    batch = codes.CodeBatch.objects.get()
    assert batch.size == 9 and batch.codes.count() == 9 and batch.created_by == everyone["moderator_a"]


def test_the_sheet_prints_each_code_with_its_qr_link():
    class Named:
        title, label = "Medborgarbudget", "Skolan"

    plain = [secrecy.new_code() for _ in range(9)]
    pdf = sheets.code_sheet(Named(), Named(), plain, "https://kommun.example/omrostning/ballot/",
                            closes_on=datetime.date(2026, 12, 20), compress=False)
    for code in plain:
        assert f"({secrecy.shown(code)})".encode() in pdf
    assert pdf.count(b"/Type /Page\n") == 2 or pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 2


@pytest.mark.parametrize("data", [{"label": "", "size": "5"}, {"label": "x", "size": "0"},
                                  {"label": "x", "size": str(codes.MAX_BATCH + 1)}, {"label": "x", "size": "nej"},
                                  {"label": "a\x00b", "size": "3"}])
def test_a_bad_batch_is_refused_with_the_form_again(everyone, login, vote_a, data):
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_vote_codes", vote_a), data)
    assert response.status_code == 400 and b"%PDF" not in response.content[:10]
    assert not codes.CodeBatch.objects.exists()


def test_paper_ballots_with_a_code_replace_and_without_one_count_each(everyone, login, vote_a):
    client = login(everyone["moderator_a"])
    lights, playground, jetty, track = options_of(vote_a)
    _, plain = codes.make_batch(vote_a, "Hushåll", 2)
    ballots.cast(vote_a, [lights], credential=secrecy.code_credential(plain[0]), proof=Proof.CODE)
    paper = url("wagtail_dialog_vote_paper", vote_a)
    assert outcome(client.post(paper, {"options": [str(track.pk)], "code": plain[0]})) == "ok"
    assert outcome(client.post(paper, {"options": [str(jetty.pk)], "eligible": "on"})) == "ok"
    assert outcome(client.post(paper, {"options": [str(jetty.pk)], "eligible": "on"})) == "ok"
    count = tally.count(vote_a)
    assert count.ballots_by_channel == {"paper": 3}
    assert {result.option.title: result.votes for result in count.options}["Belysning på gångvägen i Hemsjö"] == 0
    assert count.code_ballots == 1


@pytest.mark.parametrize("data", [
    {"options": []},                                   # nothing chosen
    {"options": ["x"], "eligible": "on"},              # not an option
    {"options": ["1"]},                                # neither code nor check in person
    {"code": "AAAAA-AAAAA", "options": ["1"]},         # a wrong code
])
def test_a_bad_paper_ballot_is_refused_and_nothing_is_counted(everyone, login, vote_a, data):
    if data.get("options") == ["1"]:
        data = {**data, "options": [str(options_of(vote_a)[0].pk)]}
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_vote_paper", vote_a), data)
    assert response.status_code == 400 and not Ballot.objects.exists()


def test_a_paper_budget_ballot_over_the_budget_is_refused(everyone, login, vote_a):
    data = {"options": [str(option.pk) for option in options_of(vote_a)], "eligible": "on"}
    response = login(everyone["moderator_a"]).post(url("wagtail_dialog_vote_paper", vote_a), data)
    assert response.status_code == 400 and not Ballot.objects.exists()


def test_paper_ballots_are_typed_in_after_closing_until_the_count_is_final(everyone, login, vote_a):
    client = login(everyone["moderator_a"])
    closed(vote_a)
    paper = url("wagtail_dialog_vote_paper", vote_a)
    data = {"options": [str(options_of(vote_a)[0].pk)], "eligible": "on"}
    assert outcome(client.post(paper, data)) == "ok"
    assert outcome(client.post(url("wagtail_dialog_vote_final", vote_a))) == "ok"
    assert client.post(paper, data).status_code == 403
    assert Ballot.objects.count() == 1
    page = client.get(url("wagtail_dialog_vote", vote_a)).content.decode()
    assert "The count was made final" in page


def test_the_count_cannot_be_made_final_while_the_vote_is_open(everyone, login, vote_a):
    login(everyone["moderator_a"]).post(url("wagtail_dialog_vote_final", vote_a))
    vote_a.refresh_from_db()
    assert not vote_a.count_final


def test_the_overview_shows_counts_and_batches_never_ballots(everyone, login, vote_a):
    _, plain = codes.make_batch(vote_a, "Stadsbiblioteket", 4)
    receipt = ballots.cast(vote_a, options_of(vote_a)[:1], credential=secrecy.code_credential(plain[0]),
                           proof=Proof.CODE)
    response = login(everyone["moderator_a"]).get(url("wagtail_dialog_vote", vote_a))
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "1 ballot counted" in text and "1 of 4 codes" in text and "Stadsbiblioteket" in text
    assert receipt not in response.content.decode() and plain[0] not in response.content.decode()


def test_the_votes_listing_shows_each_moderator_only_their_own(everyone, login, vote_a, dialog_b):
    make_vote(dialog_b, title="Omröstning B", slug="omrostning-b")
    index = reverse("wagtail_dialog_votes")
    assert [outcome(login(everyone[who]).get(index)) for who in WHO] == ["login", "denied", "ok", "ok", "ok", "ok"]
    rows = BeautifulSoup(login(everyone["moderator_a"]).get(index).content, "html.parser").select("tbody th a")
    assert [a.get_text(strip=True) for a in rows] == ["Medborgarbudget"]


def test_the_vote_page_has_a_button_for_its_ballots_and_codes(everyone, login, vote_a):
    edit = login(everyone["superuser"]).get(reverse("wagtailadmin_pages:edit", args=[vote_a.pk]))
    assert url("wagtail_dialog_vote", vote_a) in edit.content.decode()
    assert re.search(r"Ballots and codes", edit.content.decode())


def test_a_paper_ballot_and_the_final_count_purge_the_results_and_receipts(everyone, login, vote_a,
                                                                          django_capture_on_commit_callbacks):
    from django.test import override_settings

    from tests import frontend_cache

    client = login(everyone["moderator_a"])
    data = {"options": [str(options_of(vote_a)[0].pk)], "eligible": "on"}
    frontend_cache.PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE={"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            assert outcome(client.post(url("wagtail_dialog_vote_paper", vote_a), data)) == "ok"
        purged = [address for batch in frontend_cache.PURGED for address in batch]
        assert any(address.endswith(f"{vote_a.url}results/") for address in purged)
        assert any(address.endswith(f"{vote_a.url}receipts/") for address in purged)
        frontend_cache.PURGED.clear()
        closed(vote_a)
        with django_capture_on_commit_callbacks(execute=True):
            assert outcome(client.post(url("wagtail_dialog_vote_final", vote_a))) == "ok"
        assert any(address.endswith(f"{vote_a.url}results/") for batch in frontend_cache.PURGED for address in batch)
    frontend_cache.PURGED.clear()
