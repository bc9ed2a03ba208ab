"""An editor adds a vote below a dialog at co-determination: its rules, options and limits, refused
at a lower step, and rules and options that stay as they were once ballots are cast."""

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import make_dialog, make_vote
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.methods.votes import ballots
from wagtail_dialog.methods.votes.pages import VotePage

pytestmark = pytest.mark.django_db


def vote_data(options=None, initial=0, **fields):
    data = {
        "title": "Medborgarbudget", "slug": "medborgarbudget", "summary": "", "intro": "",
        "method": "budget", "max_choices": "", "budget": "1000000", "minimum_share": "0",
        "binding": "Kommunstyrelsen genomför förslagen som får pengar.",
        "eligibility": "Du bor i kommunen.", "minimum_age": "16", "credential": "code",
        "options": inline_formset(options if options is not None else [
            {"title": "Belysning", "description": "", "image": "", "cost": "400000", "place": "Hemsjö"},
            {"title": "Lekplats", "description": "", "image": "", "cost": "300000", "place": "Bjärke"},
        ], initial=initial, min=2),
    }
    data.update(fields)
    return nested_form_data(data)


def add_url(dialog):
    return f"/admin/pages/add/wagtail_dialog/votepage/{dialog.pk}/"


def publish(**fields):
    return {"action-publish": "publish", **fields}


@pytest.fixture
def codecision(dialog_index):
    return make_dialog(dialog_index, title="Medborgarbudget för landsbygden", slug="landsbygden",
                       participation_level=ParticipationLevel.CODETERMINATION)


def test_an_editor_adds_and_publishes_a_budget_vote(admin_client, codecision):
    response = admin_client.post(add_url(codecision), vote_data(**publish()))
    assert response.status_code == 302, response.content.decode()[:3000]
    vote = VotePage.objects.get()
    assert vote.live and vote.budget == 1_000_000 and vote.minimum_age == 16
    assert [(option.title, option.cost) for option in vote.options.all()] == [("Belysning", 400_000),
                                                                             ("Lekplats", 300_000)]


def test_a_vote_is_refused_below_co_determination_naming_the_step(swedish_admin, dialog):
    response = swedish_admin.post(add_url(dialog), vote_data(**publish()))
    assert response.status_code == 200 and not VotePage.objects.filter(live=True).exists()
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Omröstning kräver delaktighetsnivån Medbestämmande eller högre" in text


@pytest.mark.parametrize("fields, field", [
    ({"budget": ""}, "budget"),
    ({"credential": "open"}, "credential"),
    ({"method": "several", "budget": ""}, "max_choices"),
    ({"minimum_share": "150"}, "minimum_share"),
    ({"method": "one", "live_count": "on"}, "live_count"),
    ({"credential": "post"}, "credential"),
])
def test_rules_that_do_not_hold_are_refused(admin_client, codecision, fields, field):
    response = admin_client.post(add_url(codecision), vote_data(**publish(**fields)))
    assert response.status_code == 200 and not VotePage.objects.exists()
    assert field in response.context["form"].errors


def test_a_budget_option_needs_its_cost(admin_client, codecision):
    response = admin_client.post(add_url(codecision), vote_data(options=[
        {"title": "Belysning", "description": "", "image": "", "cost": "", "place": ""},
        {"title": "Lekplats", "description": "", "image": "", "cost": "300000", "place": ""},
    ], **publish()))
    assert response.status_code == 200 and not VotePage.objects.exists()
    assert "cost" in response.context["form"].formsets["options"].forms[0].errors


def test_one_option_is_not_a_vote(admin_client, codecision):
    response = admin_client.post(add_url(codecision), vote_data(options=[
        {"title": "Belysning", "description": "", "image": "", "cost": "1", "place": ""}], **publish()))
    assert response.status_code == 200 and not VotePage.objects.exists()


def edit_data(vote, **fields):
    options = [{"id": str(option.pk), "title": option.title, "description": "", "image": "",
                "cost": str(option.cost), "place": option.place, "ORDER": str(n)}
               for n, option in enumerate(vote.options.order_by("sort_order"))]
    return options, fields


def test_once_ballots_are_cast_the_rules_and_the_options_with_votes_stay(admin_client, codecision):
    vote = make_vote(codecision)
    lights, playground, jetty, track = vote.options.order_by("sort_order")
    ballots.cast(vote, [lights])
    edit = f"/admin/pages/{vote.pk}/edit/"
    options, _ = edit_data(vote)
    # The budget changed: refused.
    response = admin_client.post(edit, vote_data(options=options, initial=4, slug=vote.slug,
                                                 budget="2000000", **publish()))
    assert response.status_code == 200 and "budget" in response.context["form"].errors
    # The option with votes removed: refused; one without votes removed: fine.
    removed = [dict(option, DELETE="on") if option["title"] == lights.title else option for option in options]
    response = admin_client.post(edit, vote_data(options=removed, initial=4, slug=vote.slug,
                                                 budget="1000000", **publish()))
    assert response.status_code == 200
    assert vote.options.count() == 4
    removed = [dict(option, DELETE="on") if option["title"] == track.title else option for option in options]
    response = admin_client.post(edit, vote_data(options=removed, initial=4, slug=vote.slug,
                                                 budget="1000000", **publish()))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert list(vote.options.values_list("title", flat=True).order_by("sort_order")) == [
        lights.title, playground.title, jetty.title]


def test_deleting_a_vote_takes_its_ballots_codes_and_key_with_it(admin_client, codecision):
    from wagtail_dialog.methods.votes import codes, secrecy
    from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice

    vote = make_vote(codecision)
    _, plain = codes.make_batch(vote, "Skolan", 2)
    ballots.cast(vote, list(vote.options.all())[:2], credential=secrecy.code_credential(plain[0]), proof="code")
    response = admin_client.post(f"/admin/pages/{vote.pk}/delete/")
    assert response.status_code == 302
    assert not VotePage.objects.exists()
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()
    assert not codes.VoteCode.objects.exists() and not secrecy.VoteKey.objects.exists()
