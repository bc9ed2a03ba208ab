"""A participatory budget's ideas in a real Chromium: a resident on a phone without JavaScript sends
an idea with its cost and place (a cost the form cannot read is refused, with nothing typed lost),
then reads the municipality's assessment beside it; axe at zero (WCAG 2.1 A/AA) on the form, its
errors, the assessed idea and a vote's option linking to it, and on the staff's screens (the idea's
page in the inbox, the ideas to make options of)."""

import pytest
from django.urls import reverse

from tests.browser.pages import visit
from tests.browser.test_admin_accessibility import check
from tests.browser.test_vote import DESKTOP, PHONE, no_sideways_scroll, submit
from tests.factories import make_vote
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from wagtail_dialog.contributions import Contribution, ContributionStatus, Feasibility, ideas

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def collecting(dialog_a):
    dialog_a.collects_ideas = True
    dialog_a.save_revision().publish()
    return dialog_a


def send_idea(page, live_server, dialog, cost):
    visit(page, live_server.url + dialog.url)
    page.fill("textarea[name=text]", "Ett utegym vid badplatsen\n\nFör alla åldrar.")
    page.fill("input[name=estimated_cost]", cost)
    page.fill("input[name=place]", "Badplatsen i Ödenäs")
    if page.locator("input[name=consent]").count():
        page.check("input[name=consent]")
    submit(page, "form.wd-contribution-form button[type=submit]")


def test_a_resident_sends_an_idea_on_a_phone_without_javascript(page_without_js, live_server, collecting):
    page = page_without_js
    page.set_viewport_size(PHONE)
    send_idea(page, live_server, collecting, "ungefär hundra tusen")
    summary = page.locator("#wd-error-summary a")
    assert summary.count() == 1 and summary.first.get_attribute("href") == "#id_estimated_cost"
    assert page.input_value("input[name=place]") == "Badplatsen i Ödenäs"
    assert no_sideways_scroll(page)
    page.fill("input[name=estimated_cost]", "100 000 kr")
    submit(page, "form.wd-contribution-form button[type=submit]")
    idea = Contribution.objects.get()
    assert (idea.estimated_cost, idea.place) == (100_000, "Badplatsen i Ödenäs")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_idea_its_assessment_and_its_option_have_no_axe_violations(page, live_server, collecting, axe_violations,
                                                                      viewport):
    page.set_viewport_size(viewport)
    visit(page, live_server.url + collecting.url)
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    send_idea(page, live_server, collecting, "hundra tusen")
    assert page.locator("#wd-error-summary a").count() == 1
    assert axe_violations(page) == [] and no_sideways_scroll(page)

    idea = Contribution.objects.create(dialog=collecting, text="Ett utegym vid badplatsen", place="Ödenäs",
                                       estimated_cost=100_000, status=ContributionStatus.PUBLISHED)
    ideas.assess(idea, None, Feasibility.FEASIBLE, "Ryms på kommunens mark.", 140_000)
    vote = make_vote(collecting, title="Rösta om förslagen")
    option = vote.options.order_by("sort_order").first()
    option.ideas = idea.reference
    option.save()
    visit(page, live_server.url + collecting.url)
    assessment = page.inner_text(".wd-assessment")
    assert "Idén går att genomföra." in assessment and "140" in assessment
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    visit(page, live_server.url + vote.url)
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    submit(page, ".wd-vote-option__ideas a")
    assert page.url.endswith(f"#wd-contribution-{idea.pk}")


@pytest.mark.parametrize("screen", ["idea", "ideas"])
def test_the_staff_screens_for_ideas_have_no_axe_violations(admin_page_for, users, live_server, collecting,
                                                            axe_violations, screen):
    idea = Contribution.objects.create(dialog=collecting, text="Belysning på gångvägen", place="Hemsjö",
                                       estimated_cost=50_000, status=ContributionStatus.PUBLISHED)
    ideas.assess(idea, None, Feasibility.FEASIBLE, "", 120_000)
    vote = make_vote(collecting)
    page = admin_page_for(users["moderator_a"])
    url = (reverse("wagtail_dialog_contributions:edit", args=[idea.pk]) if screen == "idea"
           else reverse("wagtail_dialog_vote_ideas", args=[vote.pk]))
    check(page, live_server.url + url, axe_violations)
