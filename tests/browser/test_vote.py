"""Votes in a real Chromium: a resident on a phone without JavaScript votes in a budget with a
printed code (the QR link fills it in), reviews, casts, changes the ballot, checks the receipt,
and after closing sees the funded options; with JavaScript the budget's total follows each pick;
axe at zero (WCAG 2.1 A/AA) on the vote, the ballot, its errors, the review, the receipt, the
receipt codes and the results at phone and desktop width, and on the staff's screens."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.browser.pages import visit
from tests.browser.test_admin_accessibility import check
from tests.factories import make_vote
from tests.test_permissions import *  # noqa: F403  (the users and dialogs of the permission matrix)
from wagtail_dialog.methods.votes import ballots, codes
from wagtail_dialog.methods.votes.ballots import Ballot

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DAY = datetime.timedelta(days=1)


@pytest.fixture
def budget(dialog_a):
    vote = make_vote(dialog_a, title="Medborgarbudget för landsbygden", minimum_share=40)
    vote.save_revision().publish()
    return vote


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def choose(page, *titles):
    for title in titles:
        page.check(f"label:has-text('{title}')")


def close(vote):
    dialog = vote.dialog
    dialog.opens_on, dialog.closes_on = datetime.date.today() - 20 * DAY, datetime.date.today() - DAY
    dialog.save_revision().publish()


def test_a_resident_votes_with_a_printed_code_on_a_phone_without_javascript(page_without_js, live_server, dialog_a,
                                                                            budget):
    page = page_without_js
    page.set_viewport_size(PHONE)
    _, plain = codes.make_batch(budget, "Stadsbiblioteket", 2)
    visit(page, live_server.url + dialog_a.url)
    page.click("#wd-ways a:text('Medborgarbudget för landsbygden')")
    assert "Vad resultatet binder" in page.inner_text("main")
    # The QR code on the card opens the ballot with the code filled in.
    visit(page, f"{live_server.url}{budget.url}ballot/?code={plain[0]}")
    assert page.input_value("input[name=code]") == plain[0]
    choose(page, "Belysning på gångvägen i Hemsjö", "Lekplats vid bygdegården", "Badbrygga vid sjön",
           "Upprustat elljusspår")
    page.check("input[name=eligible]")
    submit(page, "button[value=review]")
    summary = page.inner_text("#wd-error-summary")
    assert "1 100 000 kronor" in summary.replace("\xa0", " ") and no_sideways_scroll(page)
    page.uncheck("label:has-text('Belysning på gångvägen i Hemsjö')")
    submit(page, "button[value=review]")
    assert "Granska din röst" in page.inner_text("h1")
    assert "700 000" in page.inner_text("main").replace("\xa0", " ")
    submit(page, "button[value=cast]")
    first = page.inner_text(".wd-code")
    assert "Tack: din röst är lagd" in page.inner_text("#wd-receipt") and no_sideways_scroll(page)

    # Changed the same day, with the same code typed by hand in small letters.
    visit(page, f"{live_server.url}{budget.url}ballot/")
    page.fill("input[name=code]", plain[0].lower())
    choose(page, "Belysning på gångvägen i Hemsjö", "Upprustat elljusspår")
    page.check("input[name=eligible]")
    submit(page, "button[value=review]")
    submit(page, "button[value=cast]")
    second = page.inner_text(".wd-code")
    assert first != second and Ballot.objects.count() == 1

    visit(page, f"{live_server.url}{budget.url}receipt/")
    page.fill("input[name=receipt]", second)
    submit(page, "button[type=submit]")
    assert "finns bland de räknade" in page.inner_text("main")
    # The first receipt's ballot was replaced: it is no longer among those counted.
    page.fill("input[name=receipt]", first)
    submit(page, "button[type=submit]")
    assert "Ingen räknad röst" in page.inner_text("main")

    ballots.cast(budget, list(budget.options.filter(title__in=["Badbrygga vid sjön", "Upprustat elljusspår"])),
                 channel="paper", proof="in_person")
    close(budget)
    visit(page, f"{live_server.url}{budget.url}results/")
    funded = page.inner_text("#wd-funded-heading + ol")
    assert funded.index("Upprustat elljusspår") < funded.index("Belysning på gångvägen i Hemsjö")
    assert "Papper" in page.inner_text("table") and no_sideways_scroll(page)


def test_with_javascript_the_budgets_total_follows_each_pick(page, live_server, budget):
    page.set_viewport_size(PHONE)
    visit(page, f"{live_server.url}{budget.url}ballot/")
    choose(page, "Belysning på gångvägen i Hemsjö", "Lekplats vid bygdegården")
    text = page.inner_text("#wd-budget-text").replace("\xa0", " ").replace("\u202f", " ")
    assert "700 000 av 1 000 000 kronor" in text and "Kvar: 300 000 kronor" in text
    choose(page, "Badbrygga vid sjön", "Upprustat elljusspår")
    text = page.inner_text("#wd-budget-text").replace("\xa0", " ").replace("\u202f", " ")
    assert "100 000 kronor över budgeten" in text
    assert page.eval_on_selector("#wd-budget-meter", "m => m.value") == 1_000_000


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_vote_pages_have_no_axe_violations(page, live_server, budget, axe_violations, viewport):
    page.set_viewport_size(viewport)
    _, plain = codes.make_batch(budget, "Skolan", 1)
    for suffix in ("", "ballot/", "receipts/", "receipt/"):
        visit(page, f"{live_server.url}{budget.url}{suffix}")
        assert axe_violations(page) == [] and no_sideways_scroll(page), suffix
    visit(page, f"{live_server.url}{budget.url}ballot/")
    submit(page, "button[value=review]")
    assert page.locator("#wd-error-summary a").count() == 3  # options, code, declaration
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.fill("input[name=code]", plain[0])
    choose(page, "Lekplats vid bygdegården", "Badbrygga vid sjön")
    page.check("input[name=eligible]")
    submit(page, "button[value=review]")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    submit(page, "button[value=cast]")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    close(budget)
    visit(page, f"{live_server.url}{budget.url}results/")
    assert axe_violations(page) == [] and no_sideways_scroll(page)


@pytest.mark.parametrize("name", ["", "wagtail_dialog_vote", "wagtail_dialog_vote_paper"])
def test_the_staff_screens_have_no_axe_violations(admin_page_for, users, live_server, budget, axe_violations, name):
    codes.make_batch(budget, "Stadsbiblioteket", 3)
    page = admin_page_for(users["moderator_a"])
    url = reverse(name, args=[budget.pk]) if name else reverse("wagtail_dialog_votes")
    check(page, live_server.url + url, axe_violations)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_email_vote_and_its_link_have_no_axe_violations(page, live_server, dialog_a, axe_violations, viewport):
    from django.core import mail

    vote = make_vote(dialog_a, title="Skolans namn", slug="namn", method="one", budget=None, credential="email")
    vote.save_revision().publish()
    page.set_viewport_size(viewport)
    visit(page, f"{live_server.url}{vote.url}ballot/")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.fill("input[name=email]", "anna@example.se")
    submit(page, "button[value=link]")
    assert "kolla din e-post" in page.inner_text("h1")
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    link = re.search(r"http://\S+/ballot/\?t=\S+", mail.outbox[-1].body).group(0)
    visit(page, link)
    assert axe_violations(page) == [] and no_sideways_scroll(page)
    page.check("label:has-text('Lekplats vid bygdegården')")
    page.check("input[name=eligible]")
    submit(page, "button[value=review]")
    submit(page, "button[value=cast]")
    assert "Tack: din röst är lagd" in page.inner_text("#wd-receipt")
    assert Ballot.objects.filter(vote=vote).count() == 1
