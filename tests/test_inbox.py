"""The moderators' inbox: listing, filters, search, moderation steps, bulk
actions, registering a letter, the dashboard panel and the menu count."""

import datetime
import io
import json
import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, bulk_url, inbox_url
from wagtail_dialog.contributions import Channel, Contribution, ContributionStatus, ModerationReason, moderation
from wagtail_dialog.contributions.history import ContributionLogEntry


def history(contribution):
    return list(
        ContributionLogEntry.objects.filter(object_id=str(contribution.pk)).order_by("pk").values_list("action", flat=True)
    )


def references(response):
    """The contribution references in a listing, in the order shown."""
    return re.findall(r'id="contribution_\d+_title">([A-Z0-9]+)<', response.content.decode())


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def moderator(users, login):
    return login(users["moderator_a"])


@pytest.fixture
def superuser(users, login):
    return login(users["superuser"])


# The listing


def test_the_listing_escapes_and_shortens_the_text(moderator, dialog_a):
    contribution = make_contribution(dialog_a, text="<script>alert(1)</script> " + "lång text " * 40 + "SLUTET")
    page = moderator.get(inbox_url("index")).content.decode()
    assert contribution.reference in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "SLUTET" not in page


def test_the_listing_shows_dialog_status_channel_tags_and_replied(moderator, dialog_a, users):
    contribution = make_contribution(dialog_a, channel=Channel.LETTER)
    contribution.tags.add("trafik")
    moderation.reply(contribution, users["moderator_a"], "Tack!")
    page = moderator.get(inbox_url("index")).content.decode()
    row = page[page.index(f'id="contribution_{contribution.pk}_title"') :]
    row = row[: row.index("</tr>")]
    for text in ["Torget A", "Pending", "Letter", "trafik", "Replied"]:
        assert text in row


@pytest.fixture
def assorted(dialog_a, dialog_b, users):
    """Contributions that differ in one way each, by name."""
    moderator = users["superuser"]
    made = {
        "old": make_contribution(dialog_a, text="Gamla torget", submitted_at=days_ago(40)),
        "published": make_contribution(dialog_a, text="Bänkar", submitted_at=days_ago(3)),
        "letter": make_contribution(
            dialog_a, text="Brev om belysning", channel=Channel.LETTER, submitted_at=days_ago(2)
        ),
        "tagged": make_contribution(dialog_a, text="Cykelparkering", submitted_at=days_ago(1)),
        "in_b": make_contribution(dialog_b, text="Parkens lekplats", submitted_at=days_ago(1)),
    }
    moderation.approve(made["published"], moderator)
    moderation.reply(made["published"], moderator, "Vi ordnar fler bänkar.")
    moderation.set_tags(made["tagged"], moderator, ["cykel"])
    moderation.set_note(made["letter"], moderator, "Ring författaren om gatlyktan.")
    return made


def refs(assorted, *names):
    return {assorted[name].reference for name in names}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["old", "published", "letter", "tagged", "in_b"]),
        ({"status": "published"}, ["published"]),
        ({"status": "pending"}, ["old", "letter", "tagged", "in_b"]),
        ({"channel": "letter"}, ["letter"]),
        ({"tag": "cykel"}, ["tagged"]),
        ({"replied": "true"}, ["published"]),
        ({"replied": "false"}, ["old", "letter", "tagged", "in_b"]),
        # The filter takes the site's local days (after midnight there, not UTC's).
        ({"submitted_at_from": str(timezone.localdate(days_ago(50))),
          "submitted_at_to": str(timezone.localdate(days_ago(30)))}, ["old"]),
        ({"submitted_at_from": str(timezone.localdate(days_ago(2)))}, ["letter", "tagged", "in_b"]),
        ({"q": "bänkar"}, ["published"]),  # text and reply
        ({"q": "gatlyktan"}, ["letter"]),  # the internal note
        ({"status": "pending", "channel": "web", "q": "torget"}, ["old"]),
    ],
)
def test_filters_and_search(query, expected, superuser, assorted):
    response = superuser.get(inbox_url("index"), query)
    assert response.status_code == 200
    assert set(references(response)) == refs(assorted, *expected)


def test_the_dialog_filter_offers_only_the_dialogs_one_moderates(moderator, superuser, assorted, dialog_a, dialog_b):
    response = superuser.get(inbox_url("index"), {"dialog": dialog_b.pk})
    assert set(references(response)) == refs(assorted, "in_b")
    page = moderator.get(inbox_url("index")).content.decode()
    options = re.search(r'<select name="dialog".*?</select>', page, re.S).group(0)
    assert "Torget A" in options and "Parken B" not in options
    # Asking for another dialog is an invalid choice, not a way in.
    response = moderator.get(inbox_url("index"), {"dialog": dialog_b.pk})
    assert assorted["in_b"].reference not in response.content.decode()


def test_search_never_looks_at_names_or_emails(superuser, dialog_a):
    make_contribution(dialog_a, name="Hemliga Hans", email="hans@example.com")
    assert references(superuser.get(inbox_url("index"), {"q": "Hemliga"})) == []
    assert references(superuser.get(inbox_url("index"), {"q": "hans@example.com"})) == []


def test_ordering_by_submitted_date_and_status(superuser, assorted):
    newest_first = references(superuser.get(inbox_url("index")))
    assert newest_first[-1] == assorted["old"].reference
    oldest_first = references(superuser.get(inbox_url("index"), {"ordering": "submitted_at"}))
    assert oldest_first[0] == assorted["old"].reference
    by_status = references(superuser.get(inbox_url("index"), {"ordering": "-status"}))
    assert by_status[0] == assorted["published"].reference  # "published" sorts after "pending"


def test_the_listing_is_paginated(moderator, dialog_a):
    for number in range(25):
        make_contribution(dialog_a, text=f"Synpunkt {number}")
    assert len(references(moderator.get(inbox_url("index")))) == 20
    assert len(references(moderator.get(inbox_url("index"), {"p": 2}))) == 5


def test_the_number_of_queries_does_not_grow_with_the_rows(moderator, dialog_a, django_assert_max_num_queries):
    def add(count):
        for number in range(count):
            contribution = make_contribution(dialog_a, text=f"Synpunkt {number}", name="Anna", email=EMAIL)
            contribution.tags.add(f"tagg{number % 3}")

    add(5)
    moderator.get(inbox_url("index"))  # warm up caches (content types, site root paths)
    with CaptureQueriesContext(connection) as five_rows:
        assert len(references(moderator.get(inbox_url("index")))) == 5
    add(45)
    with django_assert_max_num_queries(len(five_rows.captured_queries)):
        assert len(references(moderator.get(inbox_url("index")))) == 20  # a full page of 20 from 50


# A contribution's page


def test_the_page_shows_the_full_text_escaped_with_its_metadata(moderator, dialog_a):
    contribution = make_contribution(dialog_a, text="Första raden <b>fet</b>\nAndra raden " + "x" * 500, area="Centrum")
    page = moderator.get(inbox_url("edit", contribution.pk)).content.decode()
    assert "Första raden &lt;b&gt;fet&lt;/b&gt;<br>Andra raden " + "x" * 500 in page
    assert "Centrum" in page and "Torget A" in page and contribution.reference in page


def test_the_page_links_to_the_dialogs_editor_only_for_those_who_may_edit_it(moderator, superuser, contribution_a):
    editor_url = f"/admin/pages/{contribution_a.dialog_id}/edit/"
    assert editor_url not in moderator.get(inbox_url("edit", contribution_a.pk)).content.decode()
    assert editor_url in superuser.get(inbox_url("edit", contribution_a.pk)).content.decode()


def post_step(client, contribution, action, **data):
    return client.post(inbox_url("edit", contribution.pk), {"action": action, **data}, follow=True)


def messages_in(response):
    return [str(message).strip() for message in response.context["messages"]]


def test_approving_publishes_and_is_recorded(moderator, contribution_a, users):
    response = post_step(moderator, contribution_a, "approve")
    contribution_a.refresh_from_db()
    assert contribution_a.status == ContributionStatus.PUBLISHED
    assert contribution_a.moderated_by == users["moderator_a"]
    assert history(contribution_a) == ["wagtail_dialog.publish"]
    assert messages_in(response) == [f"Contribution {contribution_a.reference} is published."]
    assert response.redirect_chain[-1][0] == inbox_url("edit", contribution_a.pk)


def test_rejecting_needs_a_reason_and_nothing_changes_without_one(moderator, contribution_a):
    response = post_step(moderator, contribution_a, "reject", reason="", message="Hej")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    contribution_a.refresh_from_db()
    assert contribution_a.status == ContributionStatus.PENDING
    assert history(contribution_a) == []

    post_step(moderator, contribution_a, "reject", reason=ModerationReason.OFF_TOPIC, message="Skriv om skolan.")
    contribution_a.refresh_from_db()
    assert contribution_a.status == ContributionStatus.REJECTED
    assert contribution_a.moderation_reason == ModerationReason.OFF_TOPIC
    assert contribution_a.message_to_author == "Skriv om skolan."
    assert history(contribution_a) == ["wagtail_dialog.reject"]


def test_spam_hide_reply_note_and_tags(moderator, contribution_a):
    post_step(moderator, contribution_a, "approve")
    post_step(moderator, contribution_a, "hide")
    contribution_a.refresh_from_db()
    assert contribution_a.status == ContributionStatus.PENDING

    post_step(moderator, contribution_a, "reply", text="Tack, vi tar med det.", signature="Kommunstyrelsen")
    post_step(moderator, contribution_a, "note", note="Tas upp på mötet.")
    post_step(moderator, contribution_a, "tags", tags="bänkar, torget")
    post_step(moderator, contribution_a, "spam")
    contribution_a.refresh_from_db()
    assert contribution_a.reply == "Tack, vi tar med det."
    assert contribution_a.reply_signature == "Kommunstyrelsen"
    assert contribution_a.moderator_note == "Tas upp på mötet."
    assert sorted(contribution_a.tags.names()) == ["bänkar", "torget"]
    assert contribution_a.status == ContributionStatus.SPAM
    assert history(contribution_a) == [
        "wagtail_dialog.publish",
        "wagtail_dialog.hide",
        "wagtail_dialog.reply",
        "wagtail_dialog.note",
        "wagtail_dialog.tag",
        "wagtail_dialog.spam",
    ]


def test_an_empty_reply_is_refused(moderator, contribution_a):
    response = post_step(moderator, contribution_a, "reply", text="   ")
    assert response.status_code == 200
    contribution_a.refresh_from_db()
    assert contribution_a.reply == "" and history(contribution_a) == []


def test_a_moderation_error_is_shown_and_changes_nothing(moderator, contribution_a, monkeypatch):
    def refuse(contribution, user):
        raise moderation.ModerationError("Det går inte just nu.")

    monkeypatch.setattr(moderation, "approve", refuse)
    response = post_step(moderator, contribution_a, "approve")
    assert messages_in(response) == ["Det går inte just nu."]
    contribution_a.refresh_from_db()
    assert contribution_a.status == ContributionStatus.PENDING


def test_an_unknown_action_changes_nothing(moderator, contribution_a):
    response = post_step(moderator, contribution_a, "delete")
    assert messages_in(response) == ["Unknown action."]
    assert history(contribution_a) == []


def test_the_author_is_told_when_they_asked(moderator, dialog_a, django_capture_on_commit_callbacks):
    contribution = make_contribution(dialog_a, email="anna@example.com", notify=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_step(moderator, contribution, "approve")
    assert [message.to for message in mail.outbox] == [["anna@example.com"]]


def test_the_history_shows_each_step(moderator, contribution_a):
    post_step(moderator, contribution_a, "approve")
    post_step(moderator, contribution_a, "note", note="Hej")
    page = moderator.get(inbox_url("history", contribution_a.pk)).content.decode()
    assert "Published" in page and "Internal note changed" in page
    detail = moderator.get(inbox_url("edit", contribution_a.pk)).content.decode()
    assert "Published" in detail and inbox_url("history", contribution_a.pk) in detail


def test_the_next_parameter_takes_the_moderator_back_to_the_listing(moderator, contribution_a):
    listing = inbox_url("index") + "?status=pending"
    response = moderator.post(
        inbox_url("edit", contribution_a.pk) + "?next=" + listing.replace("?", "%3F").replace("=", "%3D"),
        {"action": "approve"},
    )
    assert response["Location"] == listing


# Bulk actions


def test_bulk_publish(moderator, dialog_a):
    first, second = make_contribution(dialog_a), make_contribution(dialog_a)
    confirmation = moderator.get(bulk_url("approve", first, second))
    assert first.reference in confirmation.content.decode()
    moderator.post(bulk_url("approve", first, second) + "&next=" + inbox_url("index"))
    assert set(Contribution.objects.values_list("status", flat=True)) == {ContributionStatus.PUBLISHED}
    assert history(first) == history(second) == ["wagtail_dialog.publish"]


def test_bulk_reject_needs_a_reason(moderator, dialog_a):
    first, second = make_contribution(dialog_a), make_contribution(dialog_a)
    response = moderator.post(bulk_url("reject", first, second), {"reason": ""})
    assert response.status_code == 200
    assert set(Contribution.objects.values_list("status", flat=True)) == {ContributionStatus.PENDING}
    moderator.post(bulk_url("reject", first, second), {"reason": ModerationReason.DUPLICATE, "message": ""})
    assert set(Contribution.objects.values_list("status", "moderation_reason")) == {
        (ContributionStatus.REJECTED, ModerationReason.DUPLICATE)
    }


def test_bulk_tag_spam_and_hide(moderator, dialog_a, users):
    first, second = make_contribution(dialog_a), make_contribution(dialog_a)
    first.tags.add("befintlig")
    moderator.post(bulk_url("tag", first, second), {"tags": "trafik, cykel"})
    assert sorted(first.tags.names()) == ["befintlig", "cykel", "trafik"]
    assert sorted(second.tags.names()) == ["cykel", "trafik"]
    moderator.post(bulk_url("spam", first))
    moderation.approve(second, users["moderator_a"])
    moderator.post(bulk_url("hide", second))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ContributionStatus.SPAM
    assert second.status == ContributionStatus.PENDING


def test_select_all_in_listing_takes_only_what_the_listing_shows(superuser, assorted, dialog_a):
    url = bulk_url("spam").rstrip("?") + f"?id=all&status=pending&dialog={dialog_a.pk}"
    superuser.post(url)
    spam = set(Contribution.objects.filter(status=ContributionStatus.SPAM).values_list("reference", flat=True))
    assert spam == refs(assorted, "old", "letter", "tagged")


def test_select_all_never_reaches_another_dialog(moderator, assorted):
    moderator.post(bulk_url("spam").rstrip("?") + "?id=all")
    spam = set(Contribution.objects.filter(status=ContributionStatus.SPAM).values_list("reference", flat=True))
    assert spam == refs(assorted, "old", "published", "letter", "tagged")


# Registering a contribution that came another way


def test_registering_a_letter(moderator, dialog_a, users):
    response = moderator.post(
        inbox_url("add"),
        {
            "dialog": dialog_a.pk,
            "channel": Channel.LETTER,
            "submitted_at": "2026-03-02 10:00",
            "text": "Jag vill ha fler bänkar vid torget.",
            "name": "Greta Brevskrivare",
            "email": "",
            "relation": "lives",
            "area": "Centrum",
        },
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == inbox_url("edit", contribution.pk)
    assert contribution.channel == Channel.LETTER
    assert contribution.status == ContributionStatus.PENDING
    assert contribution.registered_by == users["moderator_a"]
    assert contribution.name == "Greta Brevskrivare"
    assert timezone.localtime(contribution.submitted_at).date() == datetime.date(2026, 3, 2)
    assert history(contribution) == ["wagtail_dialog.register"]


@pytest.mark.parametrize("channel", [Channel.WEB, "fax"])
def test_registering_is_not_for_the_web_form(channel, moderator, dialog_a):
    response = moderator.post(
        inbox_url("add"),
        {"dialog": dialog_a.pk, "channel": channel, "submitted_at": "2026-03-02 10:00", "text": "Hej"},
    )
    assert response.status_code == 200
    assert not Contribution.objects.exists()


def test_one_registers_only_for_dialogs_one_moderates(moderator, dialog_b):
    page = moderator.get(inbox_url("add")).content.decode()
    assert "Torget A" in page and "Parken B" not in page
    response = moderator.post(
        inbox_url("add"),
        {"dialog": dialog_b.pk, "channel": Channel.PHONE, "submitted_at": "2026-03-02 10:00", "text": "Hej"},
    )
    assert response.status_code == 200
    assert not Contribution.objects.exists()


# Alerts: the dashboard panel, the menu count and the daily digest


@pytest.fixture
def waiting(dialog_a, dialog_b):
    make_contribution(dialog_a, submitted_at=days_ago(5))
    make_contribution(dialog_a, submitted_at=days_ago(1))
    make_contribution(dialog_a, status=ContributionStatus.PUBLISHED, submitted_at=days_ago(9))
    make_contribution(dialog_b, submitted_at=days_ago(2))


def panel(page):
    match = re.search(r'<section[^>]*id="wagtail-dialog-pending-section".*?</section>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split()) if match else None


def test_the_dashboard_panel_counts_pending_per_dialog(moderator, superuser, waiting, dialog_a, dialog_b):
    text = panel(moderator.get("/admin/").content.decode())
    assert "Torget A 2 pending, oldest 5 days" in text
    assert "Parken B" not in text
    page = superuser.get("/admin/").content.decode()
    # The longest waiting first.
    assert "Torget A 2 pending, oldest 5 days Parken B 1 pending, oldest 2 days" in panel(page)
    assert f"{inbox_url('index')}?dialog={dialog_b.pk}&amp;status=pending" in page


def test_no_panel_for_editors_or_when_nothing_waits(users, login, moderator, waiting):
    assert panel(login(users["editor"]).get("/admin/").content.decode()) is None
    Contribution.objects.update(status=ContributionStatus.PUBLISHED)
    assert panel(login(users["moderator_a"]).get("/admin/").content.decode()) is None


def menu_item(page, name="contributions"):
    """The sidebar's menu item ``name`` as the admin page hands it to the sidebar, or None."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S)

    def find(node):
        if isinstance(node, dict) and node.get("name") == name and "label" in node:
            return node
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        return next((found for found in map(find, children) if found), None)

    return find(json.loads(props.group(1))) if props else None


def test_the_menu_item_shows_the_pending_count(users, login, waiting):
    # A short label that fits the sidebar; the link's accessible name says what the number is.
    item = menu_item(login(users["moderator_a"]).get("/admin/").content.decode())
    assert item["label"] == "Contributions (2)"
    assert item["attrs"]["aria-label"] == "Contributions (2 waiting for moderation)"
    # It opens the ones waiting.
    assert item["url"] == inbox_url("index") + "?status=pending"
    assert menu_item(login(users["superuser"]).get("/admin/").content.decode())["label"] == "Contributions (3)"
    assert "Contributions" not in login(users["editor"]).get("/admin/").content.decode()
    Contribution.objects.update(status=ContributionStatus.PUBLISHED)
    item = menu_item(login(users["moderator_a"]).get("/admin/").content.decode())
    # Nothing left over from the requests before: the menu item is shared by them all.
    assert item["label"] == "Contributions" and "aria-label" not in item["attrs"]
    assert item["url"] == inbox_url("index")


def test_the_menu_item_in_swedish(users, waiting):
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(users["moderator_a"])
    item = menu_item(client.get("/admin/").content.decode())
    assert item["label"] == "Synpunkter (2)"
    assert item["attrs"]["aria-label"] == "Synpunkter (2 väntar på granskning)"


def test_the_menu_stops_counting_at_99(users, login, dialog_a):
    Contribution.objects.bulk_create(Contribution(dialog=dialog_a, text="x", reference=f"M{n}") for n in range(99))
    assert menu_item(login(users["moderator_a"]).get("/admin/").content.decode())["label"] == "Contributions (99)"
    make_contribution(dialog_a)
    item = menu_item(login(users["moderator_a"]).get("/admin/").content.decode())
    assert item["label"] == "Contributions (99+)"
    assert item["attrs"]["aria-label"] == "Contributions (99+ waiting for moderation)"


def test_the_daily_digest_is_queued_only_when_a_site_wants_it(monkeypatch, dialog_index):
    from wagtail_dialog.contributions import notifications
    from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

    queued = []

    class Task:
        def enqueue(self):
            queued.append("digest")
            return type("Result", (), {"id": "1"})()

    monkeypatch.setattr(notifications, "send_moderator_digest", Task())
    output = io.StringIO()
    call_command("send_dialog_digest", stdout=output)
    assert queued == [] and "nothing queued" in output.getvalue()
    call_command("send_dialog_digest", "--force", stdout=output)
    assert queued == ["digest"]
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.moderator_alerts = AlertMode.DAILY
    settings.save()
    call_command("send_dialog_digest", stdout=output)
    assert queued == ["digest", "digest"]


def test_the_daily_digest_reaches_each_dialogs_moderators(users, waiting):
    from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.moderator_alerts = AlertMode.DAILY
    settings.save()
    call_command("send_dialog_digest", stdout=io.StringIO())
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"moderator_a@example.com", "moderator_b@example.com"} <= recipients
    assert "editor@example.com" not in recipients


@pytest.mark.parametrize("bad", ["²", "١", "x", "-1", "9" * 30])
def test_a_bulk_action_on_ids_that_are_not_ids_finds_nothing(moderator, dialog_a, bad):
    make_contribution(dialog_a)
    url = reverse("wagtail_bulk_action", args=["wagtail_dialog", "contribution", "approve"])
    assert moderator.get(f"{url}?id={quote(bad)}").status_code == 404


def test_each_bulk_actions_accessible_name_starts_with_its_visible_label_in_swedish(users, login, dialog_a):
    from bs4 import BeautifulSoup
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(users["moderator_a"])
    profile.preferred_language = "sv"
    profile.save()
    make_contribution(dialog_a, text="Fler bänkar")
    page = login(users["moderator_a"]).get(inbox_url("index"))
    soup = BeautifulSoup(page.content, "html.parser")
    buttons = soup.select("[data-bulk-action-button]")
    labels = [" ".join(button.get_text(" ").split()) for button in buttons]
    assert "Skräppost" in labels and "Publicera" in labels
    for button, visible in zip(buttons, labels):
        assert button.get("aria-label", "").startswith(visible), (visible, button.get("aria-label"))
