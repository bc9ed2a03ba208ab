""""… and next" on a contribution's page: after publishing, rejecting, marking
as spam or replying, the moderator goes straight to the next pending
contribution in the listing they came from (its filters, search and order),
and back to that listing with a message when none is left."""

import datetime
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import inbox_url
from wagtail_dialog.contributions import ContributionStatus


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def moderator(users, login):
    return login(users["superuser"])


@pytest.fixture
def queue(dialog_a, dialog_b):
    """Pending contributions, the newest first, and one in another dialog in between."""
    return {
        "newest": make_contribution(dialog_a, text="Nyast", submitted_at=hours_ago(1)),
        "other_dialog": make_contribution(dialog_b, text="Parken", submitted_at=hours_ago(2)),
        "published": make_contribution(
            dialog_a, text="Redan publicerad", submitted_at=hours_ago(3), status=ContributionStatus.PUBLISHED
        ),
        "middle": make_contribution(dialog_a, text="Mitten", submitted_at=hours_ago(4)),
        "oldest": make_contribution(dialog_a, text="Äldst", submitted_at=hours_ago(5)),
    }


def page_of(contribution, listing=""):
    url = inbox_url("edit", contribution.pk)
    return f"{url}?{urlencode({'listing': listing})}" if listing else url


def then_next(client, contribution, action, listing="", **data):
    return client.post(page_of(contribution, listing), {"action": action, "then": "next", **data})


def test_publish_and_next_opens_the_next_pending_in_the_listings_order(moderator, queue, dialog_a):
    listing = f"dialog={dialog_a.pk}&status=pending"
    response = then_next(moderator, queue["newest"], "approve", listing)
    # The published one and the other dialog's are skipped; the listing travels along.
    assert response["Location"] == page_of(queue["middle"], listing)
    queue["newest"].refresh_from_db()
    assert queue["newest"].status == ContributionStatus.PUBLISHED


def test_without_a_listing_the_next_is_the_next_pending_of_all_one_moderates(moderator, queue):
    response = then_next(moderator, queue["newest"], "approve")
    assert response["Location"] == page_of(queue["other_dialog"])


def test_the_listings_order_counts(moderator, queue, dialog_a):
    listing = f"dialog={dialog_a.pk}&ordering=submitted_at"
    response = then_next(moderator, queue["oldest"], "spam", listing)
    assert response["Location"] == page_of(queue["middle"], listing)


def test_rejecting_and_next(moderator, queue, dialog_a):
    listing = f"dialog={dialog_a.pk}"
    response = then_next(moderator, queue["middle"], "reject", listing, reason="off-topic", message="")
    assert response["Location"] == page_of(queue["oldest"], listing)


def test_a_reply_leaves_the_contribution_pending_but_moves_on(moderator, queue, dialog_a):
    listing = f"dialog={dialog_a.pk}"
    response = then_next(moderator, queue["middle"], "reply", listing, text="Tack!", signature="")
    assert response["Location"] == page_of(queue["oldest"], listing)


def test_after_the_last_row_it_starts_again_from_the_top(moderator, queue, dialog_a):
    listing = f"dialog={dialog_a.pk}"
    response = then_next(moderator, queue["oldest"], "approve", listing)
    assert response["Location"] == page_of(queue["newest"], listing)


def test_when_none_is_left_it_goes_back_to_the_listing_and_says_so(moderator, queue, dialog_b):
    listing = f"dialog={dialog_b.pk}&status=pending"
    response = then_next(moderator, queue["other_dialog"], "approve", listing)
    assert response["Location"] == inbox_url("index") + "?" + listing
    page = moderator.get(response["Location"]).content.decode()
    assert "No more contributions are waiting in this listing." in page


def test_a_refused_step_stays_on_the_page(moderator, queue):
    response = then_next(moderator, queue["newest"], "reject", reason="")
    assert response.status_code == 200
    queue["newest"].refresh_from_db()
    assert queue["newest"].status == ContributionStatus.PENDING


def test_other_steps_ignore_then_next(moderator, queue):
    response = then_next(moderator, queue["newest"], "note", note="Intern")
    assert response["Location"] == page_of(queue["newest"])


def test_a_moderator_never_goes_on_to_another_dialogs_contribution(users, login, queue):
    response = then_next(login(users["moderator_a"]), queue["newest"], "approve")
    assert response["Location"] == page_of(queue["middle"])


def test_the_listing_links_carry_its_filters_but_not_its_page(moderator, queue, dialog_a):
    page = moderator.get(inbox_url("index") + f"?dialog={dialog_a.pk}&status=pending&p=1")
    soup = BeautifulSoup(page.content, "html.parser")
    link = soup.select_one(f"#contribution_{queue['newest'].pk}_title").parent["href"]
    assert link == page_of(queue["newest"], f"dialog={dialog_a.pk}&status=pending")
    # Its breadcrumb leads back to the same listing.
    detail = BeautifulSoup(moderator.get(link).content, "html.parser")
    assert detail.select_one(f'a[href="{inbox_url("index")}?dialog={dialog_a.pk}&status=pending"]')


def test_the_buttons_say_what_they_do(moderator, queue):
    soup = BeautifulSoup(moderator.get(page_of(queue["newest"])).content, "html.parser")
    labels = [button.get_text(strip=True) for button in soup.select('button[name="then"][value="next"]')]
    assert labels == ["Publish and next", "Mark as spam and next", "Reject and next", "Save and next"]


def test_the_buttons_in_swedish(users, queue):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(users["superuser"])
    soup = BeautifulSoup(client.get(page_of(queue["newest"])).content, "html.parser")
    labels = [button.get_text(strip=True) for button in soup.select('button[name="then"][value="next"]')]
    assert labels == ["Publicera och nästa", "Markera som skräppost och nästa", "Avvisa och nästa", "Spara och nästa"]
