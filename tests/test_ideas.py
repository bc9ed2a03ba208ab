"""A participatory budget as a process: ideas with a cost and a place, the municipality's public
assessment of each, feasible ideas made a vote's options, and the options linking back."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import make_contribution, make_dialog, make_vote
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from tests.test_permissions import inbox_url, make_group, make_user, outcome
from wagtail_dialog.contributions import Contribution, ContributionStatus, Feasibility, ideas
from wagtail_dialog.contributions.forms import ContributionForm
from wagtail_dialog.contributions.moderation import ModerationError
from wagtail_dialog.methods.votes import ballots
from wagtail_dialog.methods.votes import ideas as vote_ideas
from wagtail_dialog.methods.votes.kinds import Proof
from wagtail_dialog.methods.votes.pages import VotePage

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def collecting(dialog):
    dialog.collects_ideas = True
    dialog.save_revision().publish()
    dialog.refresh_from_db()
    return dialog


def latest(vote):
    """The vote's newest revision (the test's page object does not know of later ones)."""
    return VotePage.objects.get(pk=vote.pk).get_latest_revision_as_object()


def idea(dialog, text="Belysning på gångvägen till skolan\nDet är mörkt på vintern.", **fields):
    fields.setdefault("status", ContributionStatus.PUBLISHED)
    fields.setdefault("place", "Gångvägen vid Hemsjö skola")
    fields.setdefault("estimated_cost", 150_000)
    return make_contribution(dialog, text=text, **fields)


# --- The resident's form ------------------------------------------------------


def test_only_a_dialog_that_collects_ideas_asks_for_a_cost_and_a_place(dialog_a):
    assert "place" not in ContributionForm(dialog=dialog_a).fields
    form = ContributionForm(dialog=collecting(dialog_a))
    assert list(form.fields)[:3] == ["text", "estimated_cost", "place"]
    page = soup(Client().get(dialog_a.url))
    assert page.find("input", {"name": "estimated_cost"}) is not None
    assert page.find("label", {"for": "id_place"}) is not None


@pytest.mark.parametrize("typed, kronor", [
    ("50000", 50_000), ("50 000", 50_000), ("50\u00a0000 kr", 50_000), ("1 200 000 kronor", 1_200_000),
    ("75 000:-", 75_000), ("", None),
])
def test_a_cost_is_read_as_residents_write_it(dialog_a, typed, kronor):
    form = ContributionForm({"text": "Ett utegym", "estimated_cost": typed}, dialog=collecting(dialog_a))
    assert form.is_valid(), form.errors
    assert form.contribution_data()["estimated_cost"] == kronor


@pytest.mark.parametrize("typed", ["femtio tusen", "50.000", "-5", "12,50", "10000000000000"])
def test_a_cost_that_is_not_whole_kronor_is_refused_with_a_clear_error(dialog_a, typed):
    form = ContributionForm({"text": "Ett utegym", "estimated_cost": typed}, dialog=collecting(dialog_a))
    assert not form.is_valid()
    assert "kronor" in str(form.errors["estimated_cost"])


def test_a_resident_sends_an_idea_with_its_cost_and_place_and_a_refused_one_loses_nothing(client, dialog_a):
    collecting(dialog_a)
    refused = client.post(dialog_a.url, {"text": "Ett utegym vid badplatsen", "estimated_cost": "mycket",
                                         "place": "Badplatsen i Hemsjö", "website": ""})
    assert refused.status_code == 200 and not Contribution.objects.exists()
    page = soup(refused)
    assert page.find("input", {"name": "place"})["value"] == "Badplatsen i Hemsjö"
    assert page.find("input", {"name": "estimated_cost"})["aria-invalid"] == "true"
    assert page.find("textarea", {"name": "text"}).text.strip() == "Ett utegym vid badplatsen"
    sent = client.post(dialog_a.url, {"text": "Ett utegym vid badplatsen", "estimated_cost": "80 000 kr",
                                      "place": "Badplatsen i Hemsjö", "website": ""})
    assert sent.status_code == 302
    stored = Contribution.objects.get()
    assert (stored.estimated_cost, stored.place) == (80_000, "Badplatsen i Hemsjö")


def test_a_dialog_that_does_not_collect_ideas_keeps_no_cost_or_place(client, dialog_a):
    client.post(dialog_a.url, {"text": "Fler bänkar", "estimated_cost": "5000", "place": "Torget", "website": ""})
    stored = Contribution.objects.get()
    assert (stored.estimated_cost, stored.place) == (None, "")


# --- The assessment -------------------------------------------------------------


def test_an_idea_not_feasible_needs_a_public_reason_and_a_feasible_one_a_cost(dialog_a):
    contribution = idea(collecting(dialog_a))
    with pytest.raises(ModerationError):
        ideas.assess(contribution, None, Feasibility.NOT_FEASIBLE, "  ")
    with pytest.raises(ModerationError):
        ideas.assess(contribution, None, Feasibility.FEASIBLE, "Bra idé")
    with pytest.raises(ModerationError):
        ideas.assess(contribution, None, "maybe")
    ideas.assess(contribution, None, Feasibility.FEASIBLE, "Ryms i gatuprogrammet.", 120_000)
    contribution.refresh_from_db()
    assert contribution.is_feasible and contribution.assessed_cost == 120_000 and contribution.assessed_at
    ideas.assess(contribution, None, Feasibility.NOT_FEASIBLE, "Vägen är Trafikverkets.", 99)
    contribution.refresh_from_db()
    assert contribution.feasibility == Feasibility.NOT_FEASIBLE and contribution.assessed_cost is None
    assert [entry.action for entry in log_registry.get_logs_for_instance(contribution)].count(
        "wagtail_dialog.assess") == 2


def test_moderators_assess_an_idea_on_its_page_in_the_inbox(users, login, dialog_a):
    contribution = idea(collecting(dialog_a))
    page_url = inbox_url("edit", contribution.pk)
    moderator = login(users["moderator_a"])
    assert soup(moderator.get(page_url)).find(id="wd-assess-section") is not None
    refused = moderator.post(page_url, {"action": "assess", "feasibility": "not-feasible", "reason": ""})
    assert refused.status_code == 200 and "Say publicly why" in refused.content.decode()
    contribution.refresh_from_db()
    assert contribution.feasibility == ""
    done = moderator.post(page_url, {"action": "assess", "feasibility": "feasible", "reason": "Ryms i budgeten.",
                                     "cost": "120000"})
    assert outcome(done) == "ok"
    contribution.refresh_from_db()
    assert (contribution.feasibility, contribution.assessed_cost) == (Feasibility.FEASIBLE, 120_000)
    # Another dialog's moderator does not even find it.
    assert outcome(login(users["moderator_b"]).post(page_url, {"action": "assess", "feasibility": "feasible",
                                                               "cost": "1"})) == "not found"


def test_a_dialog_that_does_not_collect_ideas_has_none_to_assess(users, login, dialog_a):
    contribution = make_contribution(dialog_a)
    page_url = inbox_url("edit", contribution.pk)
    moderator = login(users["moderator_a"])
    assert soup(moderator.get(page_url)).find(id="wd-assess-section") is None
    moderator.post(page_url, {"action": "assess", "feasibility": "feasible", "cost": "100"})
    contribution.refresh_from_db()
    assert contribution.feasibility == ""


def test_residents_see_the_idea_with_its_cost_place_and_assessment(client, dialog_a):
    contribution = idea(collecting(dialog_a))
    ideas.assess(contribution, None, Feasibility.NOT_FEASIBLE, "Gångvägen sköts av Trafikverket.")
    article = soup(client.get(dialog_a.url)).find("article", class_="wd-contribution")
    text = " ".join(article.get_text(" ").split())
    assert "Gångvägen vid Hemsjö skola" in text and "150 000" in text
    assert "Idén går inte att genomföra." in text and "Gångvägen sköts av Trafikverket." in text


# --- Ideas become options ---------------------------------------------------------


def test_an_option_names_only_ideas_of_its_own_dialog(users, dialog_a, dialog_b, admin_client):
    vote = make_vote(collecting(dialog_a))
    own, other = idea(dialog_a), idea(dialog_b)
    edit = reverse("wagtailadmin_pages:edit", args=[vote.pk])
    form = admin_client.get(edit).context["form"]
    data = {**form.initial}
    options = [{"id": option.pk, "title": option.title, "cost": option.cost, "place": option.place,
                "ideas": "", "implementation": "", "not_carried_out_reason": "", "description": ""}
               for option in vote.options.order_by("sort_order")]
    options[0]["ideas"] = f"{own.reference.lower()}, {other.reference}"
    fields = {key: data[key] for key in ("title", "slug", "method", "budget", "credential", "binding",
                                         "eligibility")}
    fields["minimum_share"] = 0
    posted = nested_form_data({**fields, "options": inline_formset(options, initial=len(options))})
    response = admin_client.post(edit, posted)
    assert response.status_code == 200
    assert f"Ingen idé i den här dialogen har referensnumret {other.reference}" in response.content.decode()
    options[0]["ideas"] = own.reference.lower()
    response = admin_client.post(edit, nested_form_data({**fields, "options": inline_formset(options, initial=len(options))}))
    assert response.status_code == 302
    draft = latest(vote)
    assert [option.ideas for option in draft.options.all()] == [own.reference, "", "", ""]


def test_feasible_ideas_become_options_in_a_draft_of_the_vote(users, login, dialog_a):
    vote = make_vote(collecting(dialog_a))
    feasible = idea(dialog_a, text="Belysning på gångvägen\nmer text")
    ideas.assess(feasible, None, Feasibility.FEASIBLE, "", 120_000)
    second = idea(dialog_a, text="Bänkar vid sjön", place="Sjön")
    ideas.assess(second, None, Feasibility.FEASIBLE, "", 40_000)
    # Not yet read by a moderator: its text is not copied to the public.
    pending = idea(dialog_a, text="Ring mig på 070-000 00 00", status=ContributionStatus.PENDING)
    ideas.assess(pending, None, Feasibility.FEASIBLE, "", 40_000)
    not_feasible = idea(dialog_a, text="En ny väg")
    ideas.assess(not_feasible, None, Feasibility.NOT_FEASIBLE, "För dyr.")
    rejected = idea(dialog_a, text="Reklam", status=ContributionStatus.REJECTED)
    ideas.assess(rejected, None, Feasibility.FEASIBLE, "", 1)
    unassessed = idea(dialog_a, text="Ett utegym")
    assert list(vote_ideas.feasible_ideas(dialog_a.pk)) == [feasible, second]
    assert list(vote_ideas.unassessed_ideas(dialog_a.pk)) == [unassessed]

    ideas_url = reverse("wagtail_dialog_vote_ideas", args=[vote.pk])
    moderator = login(users["superuser"])
    listing = soup(moderator.get(ideas_url))
    assert [box["value"] for box in listing.find_all("input", {"name": "idea"})] == [str(feasible.pk),
                                                                                     str(second.pk)]
    response = moderator.post(ideas_url, {"idea": [str(feasible.pk), str(second.pk), str(pending.pk),
                                                   str(not_feasible.pk)]})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit",
                                                                           args=[vote.pk])
    # Published options are untouched until the editor publishes the draft.
    assert vote.options.count() == 4
    draft = latest(vote)
    made = {option.ideas: option for option in draft.options.all() if option.ideas}
    assert set(made) == {feasible.reference, second.reference}
    assert (made[feasible.reference].title, made[feasible.reference].cost) == ("Belysning på gångvägen", 120_000)
    assert made[second.reference].place == "Sjön"
    # Again: nothing twice, and the screen says so.
    assert vote_ideas.add_options(vote, [feasible, second], None) == 0
    again = moderator.post(ideas_url, {"idea": [str(feasible.pk)]}, follow=True)
    assert "options already" in again.content.decode()
    draft.save_revision().publish()
    assert VotePage.objects.get(pk=vote.pk).options.count() == 6


def test_only_who_may_edit_the_vote_adds_options_and_not_while_it_is_locked(users, login, dialog_a,
                                                                             django_user_model):
    vote = make_vote(collecting(dialog_a))
    feasible = idea(dialog_a)
    ideas.assess(feasible, None, Feasibility.FEASIBLE, "", 120_000)
    ideas_url = reverse("wagtail_dialog_vote_ideas", args=[vote.pk])
    # The "Dialog moderators" group manages votes without page permissions: it sees, and may not add.
    group_moderator = make_user(django_user_model, "dialogmod", groups=[
        make_group("Dialog moderators", perms=["wagtail_dialog.moderate_contribution"])])
    client = login(group_moderator)
    assert soup(client.get(ideas_url)).find("input", {"name": "idea", "disabled": True}) is not None
    client.post(ideas_url, {"idea": [str(feasible.pk)]})
    assert latest(vote).options.count() == 4
    # One who only publishes the dialog, without editing its pages, may not either.
    login(users["moderator_a"]).post(ideas_url, {"idea": [str(feasible.pk)]})
    assert latest(vote).options.count() == 4
    editor = make_user(django_user_model, "voteeditor", groups=[make_group("Vote editors", pages=[
        (dialog_a, ["add", "change", "publish"])])])
    vote.locked, vote.locked_by = True, users["superuser"]
    vote.save()
    login(editor).post(ideas_url, {"idea": [str(feasible.pk)]})
    assert latest(vote).options.count() == 4
    vote.locked = False
    vote.save()
    login(editor).post(ideas_url, {"idea": [str(feasible.pk)]})
    assert latest(vote).options.count() == 5


def test_a_dialog_without_ideas_has_no_ideas_screen(users, login, dialog_a):
    vote = make_vote(dialog_a)
    assert login(users["moderator_a"]).get(reverse("wagtail_dialog_vote_ideas", args=[vote.pk])).status_code == 404


def test_no_options_from_ideas_once_ballots_are_cast(users, login, dialog_a):
    vote = make_vote(collecting(dialog_a))
    feasible = idea(dialog_a)
    ideas.assess(feasible, None, Feasibility.FEASIBLE, "", 120_000)
    ballots.cast(vote, [vote.options.first()], credential=b"x" * 32, channel="paper", proof=Proof.IN_PERSON)
    moderator = login(users["moderator_a"])
    moderator.post(reverse("wagtail_dialog_vote_ideas", args=[vote.pk]), {"idea": [str(feasible.pk)]})
    assert latest(vote).options.count() == 4


WHO = ["anonymous", "editor", "moderator_a", "moderator_b", "superuser"]


def test_the_ideas_screen_is_for_those_who_manage_the_vote(users, login, dialog_a):
    vote = make_vote(collecting(dialog_a))
    ideas_url = reverse("wagtail_dialog_vote_ideas", args=[vote.pk])
    got = [outcome(login(users[who]).get(ideas_url)) for who in WHO]
    assert got == ["login", "denied", "ok", "denied", "ok"]
    posted = [outcome(login(users[who]).post(ideas_url, {})) for who in WHO]
    assert posted == ["login", "denied", "ok", "denied", "ok"]


def test_a_dialog_that_does_not_show_contributions_links_to_none(client, dialog_a):
    vote = make_vote(collecting(dialog_a))
    published = idea(dialog_a)
    option = vote.options.order_by("sort_order").first()
    option.ideas = published.reference
    option.save()
    dialog_a.show_contributions = False
    dialog_a.save_revision().publish()
    assert not soup(client.get(vote.url)).select(".wd-vote-option__ideas a")
    assert client.get(f"{dialog_a.url}contributions/{published.reference}/").status_code == 404


def test_an_option_links_to_its_published_ideas_and_the_link_finds_the_idea(client, dialog_a):
    vote = make_vote(collecting(dialog_a))
    published, pending = idea(dialog_a), idea(dialog_a, status=ContributionStatus.PENDING)
    option = vote.options.order_by("sort_order").first()
    option.ideas = f"{published.reference}, {pending.reference}"
    option.save()
    links = [a["href"] for a in soup(client.get(vote.url)).select(".wd-vote-option__ideas a")]
    assert links == [f"{dialog_a.url}contributions/{published.reference}/"]
    found = client.get(links[0])
    assert found.status_code == 302
    assert found["Location"].endswith(f"#wd-contribution-{published.pk}")
    assert "no-cache" in found["Cache-Control"] or "no-store" in found["Cache-Control"]
    assert client.get(f"{dialog_a.url}contributions/{pending.reference}/").status_code == 404
    other = make_contribution(make_dialog(dialog_a.get_parent(), title="Annan", slug="annan"),
                              status=ContributionStatus.PUBLISHED)
    assert client.get(f"{dialog_a.url}contributions/{other.reference}/").status_code == 404


def test_the_author_who_asked_is_told_of_the_assessment_once(dialog_a, django_capture_on_commit_callbacks):
    from django.core import mail

    told = idea(collecting(dialog_a), email="idé@example.se", notify=True, language="sv")
    silent = idea(dialog_a)
    with django_capture_on_commit_callbacks(execute=True):
        ideas.assess(told, None, Feasibility.NOT_FEASIBLE, "Vägen är Trafikverkets.")
        ideas.assess(silent, None, Feasibility.FEASIBLE, "", 10_000)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["idé@example.se"] and told.reference in message.subject
    assert "Idén går inte att genomföra." in message.body and "Vägen är Trafikverkets." in message.body
    with django_capture_on_commit_callbacks(execute=True):
        ideas.assess(told, None, Feasibility.NOT_FEASIBLE, "Vägen är Trafikverkets.")  # saved again, unchanged
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        ideas.assess(told, None, Feasibility.FEASIBLE, "Vi hittade en väg.", 50_000)
    assert len(mail.outbox) == 2 and "50\u00a0000 kronor" in mail.outbox[1].body


def test_the_archive_holds_each_closed_votes_result_and_never_an_open_ones(dialog_a):
    import io

    import openpyxl

    from wagtail_dialog.privacy import archive

    vote = make_vote(collecting(dialog_a))
    option = vote.options.order_by("sort_order").first()
    option.ideas = "ABCD2345"
    option.save()
    ballots.cast(vote, [option], channel="paper", proof=Proof.IN_PERSON)
    output = io.BytesIO()
    archive.write_xlsx(dialog_a, output)
    assert openpyxl.load_workbook(io.BytesIO(output.getvalue())).sheetnames == ["Synpunkter"]

    dialog_a.opens_on, dialog_a.closes_on = dialog_a.opens_on - datetime.timedelta(days=9), dialog_a.opens_on
    dialog_a.save_revision().publish()
    output = io.BytesIO()
    archive.write_xlsx(dialog_a, output)
    workbook = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
    assert workbook.sheetnames == ["Synpunkter", "Medborgarbudget"]
    header, first, *rest = [[cell.value for cell in row] for row in workbook["Medborgarbudget"].iter_rows()]
    assert header[:2] == ["Alternativ", "Röster"] and header[-1] == "Invånarnas idéer som alternativet kommer från"
    assert first[:2] == [option.title, "1"] and first[-1] == "ABCD2345" and len(rest) == 3


def test_an_idea_that_is_an_option_of_another_round_says_so(users, login, dialog_a):
    first = make_vote(collecting(dialog_a), title="Norra", slug="norra")
    second = make_vote(dialog_a, title="Södra", slug="sodra")
    feasible = idea(dialog_a)
    ideas.assess(feasible, None, Feasibility.FEASIBLE, "", 120_000)
    option = first.options.order_by("sort_order").first()
    option.ideas = feasible.reference
    option.save()
    assert vote_ideas.options_elsewhere(second) == {feasible.reference: "Norra"}
    assert vote_ideas.options_elsewhere(first) == {}
    page = soup(login(users["superuser"]).get(reverse("wagtail_dialog_vote_ideas", args=[second.pk])))
    box = page.find("input", {"name": "idea", "value": str(feasible.pk)})
    assert box is not None and not box.has_attr("checked")
    assert "Norra" in box.parent.get_text()


def test_votes_with_alike_titles_get_a_sheet_each_and_an_open_live_count_none(dialog_a):
    import io

    import openpyxl

    from wagtail_dialog.privacy import archive

    collecting(dialog_a)
    title = "Medborgarbudget 2025 för stadsdelen "
    make_vote(dialog_a, title=title + "Norra", slug="norra").save_revision().publish()
    make_vote(dialog_a, title=title + "Södra", slug="sodra").save_revision().publish()
    make_vote(dialog_a, title="Synpunkter", slug="synpunkter").save_revision().publish()
    make_vote(dialog_a, title="Utkast", slug="utkast", live=False)
    make_vote(dialog_a, title="Öppen", slug="oppen", method="one", budget=None, credential="open",
              live_count=True).save_revision().publish()
    output = io.BytesIO()
    archive.write_xlsx(dialog_a, output)
    # Open votes, one with a count residents see live: none of them is in it yet.
    assert openpyxl.load_workbook(io.BytesIO(output.getvalue())).sheetnames == ["Synpunkter"]
    dialog_a.opens_on, dialog_a.closes_on = dialog_a.opens_on - datetime.timedelta(days=9), dialog_a.opens_on
    dialog_a.save_revision().publish()
    output = io.BytesIO()
    archive.write_xlsx(dialog_a, output)
    names = openpyxl.load_workbook(io.BytesIO(output.getvalue())).sheetnames
    assert names[0] == "Synpunkter" and len(names) == 5 and len(set(name.lower() for name in names)) == 5
    assert all(len(name) <= 31 for name in names) and "Utkast" not in names
