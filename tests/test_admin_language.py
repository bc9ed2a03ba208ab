"""Language of parts (WCAG 3.1.2): with the admin in English, the Swedish
content it shows (dialog titles and questions, contributions, replies) says
lang="sv", so a screen reader reads it as Swedish; with the admin in Swedish
nothing is marked."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import bulk_url, inbox_url
from wagtail_dialog.contributions import moderation
from wagtail_dialog.dialogs.language import content_language, lang_attribute


def admin_in(language, user):
    """A client for ``user``, whose preferred admin language is ``language``."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def contribution(dialog_a, users):
    contribution = make_contribution(dialog_a, text="Fler bänkar vid torget, tack.")
    moderation.set_tags(contribution, users["superuser"], ["bänkar"])
    moderation.reply(contribution, users["superuser"], "Tack, vi ställer ut fler.", "Gatukontoret")
    return contribution


def test_the_attribute_only_where_the_languages_differ():
    with translation.override("en"):
        assert lang_attribute("sv") == ' lang="sv"'
        assert lang_attribute("en-gb") == ""
    with translation.override("sv"):
        assert lang_attribute("sv") == ""
        assert lang_attribute("sv-SE") == ""


def test_a_dialog_speaks_its_locales_language(dialog_a, settings):
    assert content_language(dialog_a) == "sv"
    assert content_language(None) == settings.LANGUAGE_CODE


def test_the_listing_marks_the_swedish_in_an_english_admin(users, contribution):
    soup = soup_of(admin_in("en", users["superuser"]), inbox_url("index"))
    text = soup.select_one(".wd-inbox-text [lang]")
    assert text["lang"] == "sv" and "Fler bänkar" in text.get_text()
    meta = soup.select_one(".wd-inbox-meta")
    assert [span.get_text() for span in meta.select('[lang="sv"]')] == ["Torget A", "bänkar"]
    # The admin's own words are not marked: "Web", "Replied".
    assert "Replied" in meta.get_text() and not meta.select('[lang="en"]')


def test_the_contribution_page_marks_the_swedish_in_an_english_admin(users, contribution):
    soup = soup_of(admin_in("en", users["superuser"]), inbox_url("edit", contribution.pk))
    assert soup.select_one("blockquote.wd-contribution-text")["lang"] == "sv"
    question = soup.find("dt", string="The dialog's question").find_next("dd")
    assert question["lang"] == "sv" and question.get_text(strip=True) == contribution.dialog.question
    assert soup.find("a", string="Torget A")["lang"] == "sv"
    # What the moderator writes to residents: the reply and the message with a rejection.
    assert soup.select_one("#id_reply-text")["lang"] == "sv"
    assert soup.select_one("#id_reject-message")["lang"] == "sv"
    # The internal note is the moderator's own.
    assert not soup.select_one("#id_note-note").has_attr("lang")


def test_nothing_is_marked_in_a_swedish_admin(users, contribution):
    client = admin_in("sv", users["superuser"])
    for url in (inbox_url("index"), inbox_url("edit", contribution.pk), "/admin/"):
        soup = soup_of(client, url)
        assert not soup.select("main [lang]"), url


def test_the_dashboard_panels_mark_the_dialog_titles(users, contribution, dialog_a):
    dialog_a.feedback_due_on = timezone.localdate() - datetime.timedelta(days=3)
    dialog_a.save()
    soup = soup_of(admin_in("en", users["superuser"]), "/admin/")
    pending = soup.select_one("#wagtail-dialog-pending-content, [id^=wagtail-dialog-pending]")
    assert pending.find("a", string="Torget A")["lang"] == "sv"
    late = soup.select_one("[id^=wagtail-dialog-feedback-due]")
    assert late.find("a", string="Torget A")["lang"] == "sv"


def test_the_bulk_confirmation_marks_the_swedish(users, contribution):
    soup = soup_of(admin_in("en", users["superuser"]), bulk_url("reject", contribution))
    item = soup.find("a", string=contribution.reference).parent
    assert [span["lang"] for span in item.select("[lang]")] == ["sv", "sv"]
