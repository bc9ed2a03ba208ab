"""Publishing a dialog's feedback emails every author who asked to be told,
each once, in batches; the unsubscribe link in it is honoured."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import Contribution, ContributionStatus, notifications
from wagtail_dialog.dialogs.pages import DialogPage

DAY = datetime.timedelta(days=1)
EFFECT = "Förslaget om fler cykelställ finns med i beslutet."


def with_feedback(dialog, on=None):
    """Give ``dialog`` its feedback (dated ``on``, default today) and publish it."""
    today = timezone.localdate()
    DialogPage.objects.filter(pk=dialog.pk).update(opens_on=today - 60 * DAY, closes_on=today - 30 * DAY)
    dialog = DialogPage.objects.get(pk=dialog.pk)
    dialog.decided_on = today - 10 * DAY
    dialog.decision_summary = "Kommunstyrelsen beslutade att bygga om torget."
    dialog.case_number = "KS 2026/123"
    dialog.minutes_url = "https://example.invalid/protokoll.pdf"
    dialog.feedback_published_on = on or today
    dialog.feedback_summary = "Många ville ha fler cykelställ."
    dialog.participation_effect = EFFECT
    dialog.feedback_pairs = [("you_said_we_did", {"heading": "", "intro": "", "pairs": [
        {"you_said": "Fler cykelställ", "we_did": "Vi bygger fyrtio nya"}]})]
    dialog.save_revision().publish()
    return dialog


@pytest.fixture
def authors(dialog):
    return {
        "anna": make_contribution(dialog, "Fler cykelställ", name="Anna", email="anna@example.com", notify=True,
                                  language="sv", status=ContributionStatus.PUBLISHED),
        "bob": make_contribution(dialog, "More benches", email="bob@example.com", notify=True, language="en"),
        "silent": make_contribution(dialog, "Inga mejl", email="", notify=False),
        "spam": make_contribution(dialog, "Köp nu", email="spam@example.com", notify=True,
                                  status=ContributionStatus.SPAM),
    }


def feedback_mail():
    """{address: message} of the feedback emails sent, in Swedish or English."""
    subjects = ("Det här blev det av dialogen", "What came of the dialogue")
    return {message.to[0]: message for message in mail.outbox if message.subject.startswith(subjects)}


def test_publishing_feedback_emails_each_author_who_asked_once(dialog, authors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dialog = with_feedback(dialog)
    sent = feedback_mail()
    assert set(sent) == {"anna@example.com", "bob@example.com"}
    anna, bob = sent["anna@example.com"], sent["bob@example.com"]
    # In each author's own language, with the feedback, the decision and the pairs.
    assert "Kommunstyrelsen" in anna.body and EFFECT in anna.body and "KS 2026/123" in anna.body
    assert "Vi bygger fyrtio nya" in anna.body and "https://example.invalid/protokoll.pdf" in anna.body
    assert "How your participation affected the decision" in bob.body
    assert "Så påverkade er medverkan beslutet" in anna.body and "Tack för din synpunkt" in anna.body
    html = anna.alternatives[0][0]
    assert EFFECT in html and "<th scope=\"col\">" in html
    assert '<html lang="sv">' in html and '<html lang="en">' in bob.alternatives[0][0]
    # Nobody else's data, and a working unsubscribe link.
    assert "bob@example.com" not in anna.body and "Anna" not in bob.body
    assert f"{dialog.full_url}unsubscribe/" in anna.body
    link = next(line for line in anna.body.splitlines() if "/unsubscribe/" in line).split()[-1]
    assert anna.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert anna.message()["List-Unsubscribe"] == f"<{link}>"
    assert Contribution.objects.filter(feedback_sent_at__isnull=False).count() == 2
    # Published again, or the daily command: nobody is emailed twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dialog.save_revision().publish()
    call_command("send_dialog_feedback", stdout=io.StringIO())
    assert feedback_mail() == {}


def test_the_feedback_goes_out_in_batches(dialog, authors, monkeypatch, django_capture_on_commit_callbacks):
    batches = []
    task = notifications.send_feedback_batch

    class Spy:
        def enqueue(self, dialog_pk, pks):
            batches.append(list(pks))
            return task.enqueue(dialog_pk, pks)

    monkeypatch.setattr(notifications, "FEEDBACK_BATCH", 1)
    monkeypatch.setattr(notifications, "send_feedback_batch", Spy())
    with django_capture_on_commit_callbacks(execute=True):
        with_feedback(dialog)
    assert batches == [[[authors["anna"].pk]], [[authors["bob"].pk]]]
    assert len(feedback_mail()) == 2


def test_feedback_dated_ahead_goes_out_on_its_day(dialog, authors, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        dialog = with_feedback(dialog, on=today + 2 * DAY)
    assert feedback_mail() == {}
    DialogPage.objects.filter(pk=dialog.pk).update(feedback_published_on=today)
    call_command("send_dialog_feedback", stdout=io.StringIO())
    assert set(feedback_mail()) == {"anna@example.com", "bob@example.com"}


def test_the_unsubscribe_link_asks_then_removes_the_address(client, dialog, authors):
    url = notifications.unsubscribe_url(authors["anna"], dialog).split("://", 1)[1].split("/", 1)[1]
    url = "/" + url
    page = client.get(url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("form[method=post] button") is not None
    assert authors["anna"].reference in soup.get_text()
    authors["anna"].refresh_from_db()
    assert authors["anna"].notify  # a GET changes nothing (mail scanners follow links)
    done = client.post(url)
    assert done.status_code == 200 and BeautifulSoup(done.content, "html.parser").select_one("[role=status]")
    authors["anna"].refresh_from_db()
    assert not authors["anna"].notify and authors["anna"].email == ""
    assert "no-cache" in done["Cache-Control"] or "max-age=0" in done["Cache-Control"]


def test_an_unsubscribed_author_gets_no_feedback(client, dialog, authors, django_capture_on_commit_callbacks):
    url = "/" + notifications.unsubscribe_url(authors["bob"], dialog).split("://", 1)[1].split("/", 1)[1]
    client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        with_feedback(dialog)
    assert set(feedback_mail()) == {"anna@example.com"}


@pytest.mark.parametrize("token", ["broken", "x" * 40])
def test_a_broken_or_foreign_unsubscribe_link_says_so(client, dialog, dialog_index, authors, token):
    response = client.get(f"{dialog.url}unsubscribe/{token}/")
    assert response.status_code == 404
    assert "Länken är inte giltig" in response.content.decode()
    # A valid token for another dialog's contribution does not work here.
    other = make_dialog(dialog_index, title="Annan", slug="annan")
    foreign = notifications.unsubscribe_url(authors["anna"], dialog).rsplit("/unsubscribe/", 1)[1]
    assert client.post(f"{other.url}unsubscribe/{foreign}").status_code == 404
    authors["anna"].refresh_from_db()
    assert authors["anna"].notify


def test_the_feedback_section_shows_the_decision_minutes_and_pairs(client, dialog):
    dialog = with_feedback(dialog)
    page = BeautifulSoup(client.get(dialog.url).content, "html.parser")
    section = page.select_one(".wd-feedback")
    text = " ".join(section.get_text(" ").split())
    assert "KS 2026/123" in text and EFFECT in text and "Vi bygger fyrtio nya" in text
    assert section.select_one('a[href="https://example.invalid/protokoll.pdf"]') is not None
    assert [heading.name for heading in section.select("h2, h3")][0] == "h2"
    assert section.select_one(".wd-block--you-said h3") is not None  # below the section's own h2


def test_an_author_with_several_contributions_gets_one_email(dialog, authors, django_capture_on_commit_callbacks):
    second = make_contribution(dialog, "Och belysning", email="Anna@Example.com ", notify=True, language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        with_feedback(dialog)
    anna = [message for message in mail.outbox if message.to[0].strip().casefold() == "anna@example.com"]
    assert len(anna) == 1
    assert authors["anna"].reference in anna[0].body and second.reference in anna[0].body
    assert "Tack för dina synpunkter" in anna[0].body
    assert Contribution.objects.filter(pk=second.pk, feedback_sent_at__isnull=False).exists()


def test_a_contribution_claimed_meanwhile_is_not_emailed_again(dialog, authors, monkeypatch):
    dialog = with_feedback(dialog)  # no commit here: nothing sent yet
    everyone = notifications.feedback_recipients
    # As if two tasks had read the same authors before either sent: the claim decides.
    monkeypatch.setattr(notifications, "feedback_recipients",
                        lambda d: everyone(d).model.objects.filter(dialog=d, pk=authors["anna"].pk))
    assert notifications.send_feedback_batch.call(dialog.pk, [[authors["anna"].pk]]) == 1
    assert notifications.send_feedback_batch.call(dialog.pk, [[authors["anna"].pk]]) == 0
    assert len(feedback_mail()) == 1


def test_a_failed_email_is_logged_and_the_batch_goes_on(dialog, authors, monkeypatch, caplog):
    dialog = with_feedback(dialog)
    real_send = notifications.send_email

    def flaky(subject, template, context, to, **kwargs):
        if to == ["anna@example.com"]:
            raise ConnectionError("smtp down")
        return real_send(subject, template, context, to, **kwargs)

    monkeypatch.setattr(notifications, "send_email", flaky)
    groups = [[authors["anna"].pk], [authors["bob"].pk]]
    assert notifications.send_feedback_batch.call(dialog.pk, groups) == 1
    assert set(feedback_mail()) == {"bob@example.com"}
    assert "smtp down" in caplog.text


def test_the_unsubscribe_post_needs_the_forms_csrf_token(dialog, authors):
    from django.test import Client

    url = "/" + notifications.unsubscribe_url(authors["anna"], dialog).split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    assert client.post(url).status_code == 403
    authors["anna"].refresh_from_db()
    assert authors["anna"].notify
    page = client.get(url)
    token = BeautifulSoup(page.content, "html.parser").select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 200
    authors["anna"].refresh_from_db()
    assert not authors["anna"].notify


def test_an_unsubscribe_link_with_odd_digits_is_a_404_not_an_error(client, dialog):
    assert client.get(f"{dialog.url}unsubscribe/²-abc/").status_code == 404


def test_the_migration_counts_feedback_already_given_as_sent(dialog, authors):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("wagtail_dialog.migrations.0006_feedback")
    DialogPage.objects.filter(pk=dialog.pk).update(feedback_published_on=timezone.localdate())
    migration.feedback_already_given_counts_as_sent(apps, None)
    assert not Contribution.objects.filter(dialog=dialog, feedback_sent_at__isnull=True).exists()
