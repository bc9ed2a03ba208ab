"""Every public page passes axe at WCAG 2.1 A/AA in a real Chromium."""

import pytest

from tests.browser.pages import visit
from tests.factories import make_dialog, site_root
from tests.testapp.models import PolicyPage
from wagtail_dialog.dialogs.blocks import DialogContentBlock
from wagtail_dialog.dialogs.levels import ParticipationLevel

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_index_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    make_dialog(dialog_index, "Torget", tags=["park"])
    make_dialog(dialog_index, "Skolan", participation_level="dialogue")
    visit(page, live_server.url + dialog_index.url)
    assert axe_violations(page) == []


def test_the_index_with_filter_errors_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    make_dialog(dialog_index, "Torget")
    visit(page, live_server.url + dialog_index.url + "?status=bogus")
    assert page.locator(".wd-error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("level", ParticipationLevel.values)
def test_a_dialog_page_at_each_level_has_no_axe_violations(page, live_server, dialog_index, axe_violations, level):
    # An information page is not a dialogue and never opens for contributions.
    fields = {"opens_on": None, "closes_on": None} if level == ParticipationLevel.INFORMATION else {}
    dialog = make_dialog(dialog_index, f"Dialog {level}", participation_level=level, tags=["trafik"], **fields)
    visit(page, live_server.url + dialog.url)
    assert page.locator('[aria-current="step"]').count() == 1
    assert axe_violations(page) == []


def test_a_dialog_page_with_late_feedback_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    import datetime

    from django.utils import timezone

    from wagtail_dialog.dialogs.pages import DialogPage

    dialog = make_dialog(dialog_index, "Sen återkoppling")
    today = timezone.localdate()
    DialogPage.objects.filter(pk=dialog.pk).update(
        opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=30),
        feedback_due_on=today - datetime.timedelta(days=4),
    )
    visit(page, live_server.url + dialog.url)
    assert page.locator(".wd-notice--late").is_visible()
    assert axe_violations(page) == []


def test_the_unsubscribe_page_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    from tests.factories import make_contribution
    from wagtail_dialog.contributions.notifications import unsubscribe_url

    dialog = make_dialog(dialog_index, "Torget")
    contribution = make_contribution(dialog, "Hej", email="a@example.com", notify=True)
    path = "/" + unsubscribe_url(contribution, dialog).split("://", 1)[1].split("/", 1)[1]
    visit(page, live_server.url + path)
    assert page.locator("form button").is_visible()
    assert axe_violations(page) == []
    page.click("form button")
    page.wait_for_load_state()
    assert page.locator("[role=status]").is_visible()
    assert axe_violations(page) == []


def test_the_policy_page_with_every_block_has_no_axe_violations(page, live_server, axe_violations):
    root = site_root()
    block = DialogContentBlock()
    body = [(name, child.get_preview_value()) for name, child in block.child_blocks.items() if name != "paragraph"]
    policy = PolicyPage(title="Riktlinjer för medborgardialog", slug="riktlinjer", body=body)
    root.add_child(instance=policy)
    visit(page, live_server.url + policy.url)
    assert page.locator("section.wd-block").count() == len(body)
    assert axe_violations(page) == []


def test_the_filter_works_without_javascript(page_without_js, live_server, dialog_index):
    make_dialog(dialog_index, "Torget")
    make_dialog(dialog_index, "Skolan", participation_level="dialogue")
    visit(page_without_js, live_server.url + dialog_index.url)
    page_without_js.select_option("#id_level", "dialogue")
    page_without_js.click(".wd-filter button[type=submit]")
    page_without_js.wait_for_load_state()
    titles = page_without_js.locator(".wd-card__title").all_inner_texts()
    assert titles == ["Skolan"]


@pytest.mark.parametrize("query", ["parken", "rymdraket"])
def test_the_search_with_and_without_results_has_no_axe_violations(page, live_server, dialog_index, axe_violations,
                                                                     query):
    from tests.factories import make_contribution
    from wagtail_dialog.contributions import ContributionStatus

    park = make_dialog(dialog_index, "Parken i Norrby", question="Hur ska parken bli bättre?", tags=["park"])
    make_contribution(park, text="Fler bänkar i parken, och belysning.", status=ContributionStatus.PUBLISHED,
                      reply="Vi sätter upp belysning i parken i höst.")
    visit(page, live_server.url + dialog_index.url + f"?q={query}&level=")
    assert page.locator("#wd-results-heading").is_visible()
    assert page.locator(".wd-result-list li").count() == (2 if query == "parken" else 0)
    assert axe_violations(page) == []


def test_the_search_works_without_javascript(page_without_js, live_server, dialog_index):
    make_dialog(dialog_index, "Cykelvägar", question="Var behövs fler cykelbanor?")
    make_dialog(dialog_index, "Skolan")
    visit(page_without_js, live_server.url + dialog_index.url)
    page_without_js.fill("#id_q", "cykelbana")
    page_without_js.click(".wd-filter button[type=submit]")
    page_without_js.wait_for_load_state()
    assert page_without_js.locator(".wd-hit h3").all_inner_texts() == ["Cykelvägar"]


def test_the_participant_survey_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    dialog = make_dialog(dialog_index, "Torget")
    visit(page, live_server.url + dialog.url + "survey/")
    # Three questions while no feedback is given: "did you hear what came of it" waits for the feedback.
    assert page.locator("fieldset").count() == 3
    assert axe_violations(page) == []
    # Sent with answers missing: the error summary and the marked fields.
    page.check("#id_understood_influence_0")
    page.fill("textarea", "Fler möten på kvällstid.")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".wd-error-summary").is_visible()
    assert axe_violations(page) == []
    for name in ("accessible", "take_part_again"):
        page.check(f"#id_{name}_1")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[role=status]").is_visible()
    assert axe_violations(page) == []


def test_a_dialog_page_with_feedback_has_no_axe_violations(page, live_server, dialog_index, axe_violations):
    import datetime

    from django.utils import timezone

    from wagtail_dialog.dialogs.pages import DialogPage

    today = timezone.localdate()
    dialog = make_dialog(dialog_index, "Återkopplad", minutes_url="https://example.com/protokoll.pdf",
                         case_number="KS 2026/12", feedback_pairs=[("you_said_we_did", {
                             "heading": "Ni sa – vi gjorde", "intro": "",
                             "pairs": [{"you_said": "Fler bänkar", "we_did": "Tio nya bänkar"}]})])
    DialogPage.objects.filter(pk=dialog.pk).update(
        opens_on=today - datetime.timedelta(days=90), closes_on=today - datetime.timedelta(days=60),
        decided_on=today - datetime.timedelta(days=20), decision_summary="Nämnden beslutade att bygga om torget.",
        feedback_due_on=today - datetime.timedelta(days=10), feedback_published_on=today - datetime.timedelta(days=12),
        feedback_summary="Många ville ha fler sittplatser.", participation_effect="Bänkarna kom med i beslutet.",
    )
    visit(page, live_server.url + dialog.url)
    assert page.locator(".wd-feedback").is_visible()
    assert page.locator(".wd-feedback a[href$='/survey/']").count() == 1
    assert axe_violations(page) == []
