"""The contribution form on a dialog page and the published contributions under it."""

import datetime
import time
import unicodedata
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from tests.factories import make_contribution, make_dialog, make_index
from wagtail_dialog.contributions import Contribution, ContributionStatus, ratelimit, receipts
from wagtail_dialog.contributions.submission import SubmissionRefused, submit_contribution
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.site_settings import AlertMode, DialogSiteSettings

TODAY = datetime.date.today()
RAW_IP = "203.0.113.77"  # TEST-NET-3: easy to spot anywhere it should not be


def valid_data(**overrides):
    data = {"text": "Fler bänkar och mer skugga, tack.", "consent": "on", "website": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def site_settings(**fields):
    settings = DialogSiteSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def post(client, dialog, data, **extra):
    return client.post(dialog.url, data, **extra)


def receipt_page(client, dialog, **extra):
    """Where sending leads: the receipt's own address, which no cache keeps."""
    return client.get(dialog.url + "receipt/", **extra)


def assert_field_error(response, field_id, fragment=None):
    """The field shows an error linked to it, and the summary links to the field."""
    assert response.status_code == 200
    page = soup(response)
    summary = page.select_one("#wd-error-summary")
    assert summary is not None and summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    assert summary.find(["h2", "h3"]) is not None
    assert summary.select_one(f'a[href="#{field_id}"]') is not None, summary
    control = page.select_one(f"#{field_id}")
    error_id = field_id.rsplit("_", 1)[0] + "-error" if field_id.startswith("id_relation_") else f"{field_id}-error"
    error = page.select_one(f"#{error_id}")
    assert error is not None, f"no {error_id}"
    if fragment:
        assert fragment in error.get_text()
    described = control if not field_id.startswith("id_relation_") else control.find_parent("fieldset")
    assert error_id in described.get("aria-describedby", "").split()
    if not field_id.startswith("id_relation_"):
        assert control.get("aria-invalid") == "true"
    return page


# --- The form ---------------------------------------------------------------


def test_an_open_dialog_shows_the_form_posting_to_the_page_itself(client, dialog):
    site_settings(privacy_notice="<p>Kommunstyrelsen är personuppgiftsansvarig.</p>")
    page = soup(client.get(dialog.url))
    form = page.select_one("form#wd-contribution-form")
    assert form["method"] == "post"
    assert form["action"].startswith(dialog.url + "#")
    # No CSRF token: the page is the same for every visitor (tests/test_shared_cache.py).
    assert not form.select_one('input[name="csrfmiddlewaretoken"]')
    # Every visible input has a label.
    for control in form.select("input, textarea, select"):
        if control.get("type") in ("hidden", "submit"):
            continue
        assert form.select_one(f'label[for="{control["id"]}"]'), control
    assert form.select_one("#id_relation_0").find_parent("fieldset").legend
    assert "Kommunstyrelsen är personuppgiftsansvarig." in form.select_one(".wd-consent").get_text()
    assert not page.select("script") and not page.select("[style]")


def test_the_text_help_shows_the_dialogs_limit(client, dialog_index):
    dialog = make_dialog(dialog_index, max_contribution_length=500)
    hint = soup(client.get(dialog.url)).select_one("#id_text-hint").get_text()
    assert "500" in hint
    assert "500" not in str(soup(client.get(dialog.url)).select_one("#id_text").attrs)  # no silent cut-off


def test_the_form_says_the_name_is_public_and_the_email_never_is(client, dialog):
    page = soup(client.get(dialog.url))
    assert "public" in page.select_one("#id_name-hint").get_text().lower() or "offentlig" in page.select_one(
        "#id_name-hint"
    ).get_text().lower()
    assert page.select_one("#id_email")["type"] == "email"


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, dialog):
    trap = soup(client.get(dialog.url)).select_one("#id_website")
    wrapper = trap.find_parent("div")
    assert wrapper.get("aria-hidden") == "true" and "wd-hp" in wrapper["class"]
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert wrapper.label.get_text() in ("Leave this empty", "Lämna tomt", "Lämna det här fältet tomt")


def test_the_area_field_is_hidden_without_areas_and_offers_the_sites_areas(client, dialog):
    assert soup(client.get(dialog.url)).select_one("#id_area") is None
    site_settings(areas="Centrum\n\n  Norra byn  \n")
    options = [o["value"] for o in soup(client.get(dialog.url)).select("#id_area option")]
    assert options == ["", "Centrum", "Norra byn"]


# --- Success ------------------------------------------------------------------


def test_a_contribution_to_a_pre_moderated_dialog_waits_for_a_moderator(client, dialog):
    response = post(client, dialog, valid_data(name="Anna"))
    assert response.status_code == 302
    assert response["Location"].endswith(dialog.url + "receipt/#wd-receipt")
    contribution = Contribution.objects.get()
    assert contribution.status == ContributionStatus.PENDING
    assert contribution.dialog_id == dialog.pk and contribution.name == "Anna"
    assert contribution.channel == "web"
    # The reference travels in a signed cookie, never in the URL.
    assert contribution.reference not in response["Location"]

    page = soup(receipt_page(client, dialog))
    receipt = page.select_one("#wd-receipt")
    assert receipt["role"] == "status"
    assert contribution.reference in receipt.get_text()
    assert "moderator" in receipt.get_text().lower()
    # Pending text is not on the page.
    assert "Fler bänkar och mer skugga" not in page.select_one("main").get_text().replace(receipt.get_text(), "")
    # Shown once: a reload leads to the plain page.
    again = receipt_page(client, dialog, follow=True)
    assert again.redirect_chain == [(dialog.url, 302)] and soup(again).select_one("#wd-receipt") is None
    assert soup(client.get(dialog.url)).select_one("#wd-receipt") is None


def test_the_receipt_cookie_is_signed_scoped_to_the_receipt_and_shown_once(client, dialog, dialog_index):
    response = post(client, dialog, valid_data())
    cookie = response.cookies[receipts.COOKIE_NAME]
    # Only the receipt's address receives it: the dialog page stays the same for everyone.
    assert cookie["path"] == dialog.url + "receipt/" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == receipts.MAX_AGE
    reference = Contribution.objects.get().reference
    # No personal data in it, and no session row written for it.
    assert "Fler bänkar" not in cookie.value and not Session.objects.exists()

    shown = receipt_page(client, dialog)
    assert reference in soup(shown).select_one("#wd-receipt").get_text()
    # The page that shows it deletes the cookie and is not cached anywhere.
    assert shown.cookies[receipts.COOKIE_NAME].value == "" and "no-store" in shown["Cache-Control"]


def test_a_tampered_or_foreign_receipt_cookie_shows_nothing(client, dialog, dialog_index):
    post(client, dialog, valid_data())
    good = client.cookies[receipts.COOKIE_NAME].value
    other = make_dialog(dialog_index, title="Annan dialog", slug="annan")
    # The receipt belongs to the dialog it was given for.
    client.cookies[receipts.COOKIE_NAME] = good
    client.cookies[receipts.COOKIE_NAME]["path"] = other.url + "receipt/"
    assert soup(receipt_page(client, other, follow=True)).select_one("#wd-receipt") is None
    for forged in (good[:-2] + "xx", "", "not-a-receipt", good.replace(":", ";")):
        client.cookies[receipts.COOKIE_NAME] = forged
        client.cookies[receipts.COOKIE_NAME]["path"] = dialog.url + "receipt/"
        response = receipt_page(client, dialog, follow=True)
        assert response.status_code == 200 and soup(response).select_one("#wd-receipt") is None


def test_an_expired_receipt_is_not_shown(client, dialog):
    post(client, dialog, valid_data())
    later = time.time() + receipts.MAX_AGE + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert soup(receipt_page(client, dialog, follow=True)).select_one("#wd-receipt") is None


def test_the_dialog_index_routes_to_its_dialogs_and_404s_on_anything_else(client, dialog, dialog_index):
    assert client.get(dialog.url).status_code == 200
    assert client.get(dialog_index.url + "finns-inte/").status_code == 404
    assert client.get(dialog.url + "finns-inte/").status_code == 404
    dialog.unpublish()
    assert client.get(dialog.url).status_code == 404


def test_the_dialog_index_finds_only_its_own_child_by_url_path(client, dialog, dialog_index):
    # The index looks its dialog up by url_path: a page elsewhere with the same
    # url_path (as another site's tree could have) must never be served.
    elsewhere = make_index(title="Andra", slug="andra")
    impostor = make_dialog(elsewhere, title="Fel dialog")
    DialogPage.objects.filter(pk=impostor.pk).update(url_path=dialog.url_path)
    response = client.get(dialog.url)
    assert response.status_code == 200 and "Fel dialog" not in response.content.decode()
    # A dialog moved to another index is found there (Wagtail keeps url_path).
    dialog.move(elsewhere, pos="last-child")
    moved = DialogPage.objects.get(pk=dialog.pk)
    assert moved.url.startswith(elsewhere.url)
    assert client.get(moved.url).status_code == 200
    assert client.get(dialog_index.url + dialog.slug + "/").status_code == 404


def test_a_contribution_to_a_post_moderated_dialog_is_published_at_once(client, dialog_index):
    dialog = make_dialog(dialog_index, moderation="post")
    response = post(client, dialog, valid_data())
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.status == ContributionStatus.PUBLISHED
    page = soup(receipt_page(client, dialog))
    assert contribution.reference in page.select_one("#wd-receipt").get_text()
    assert "Fler bänkar och mer skugga" in page.select_one("#wd-contributions").get_text()


def test_the_consent_version_and_the_language_are_recorded(client, dialog):
    site_settings(privacy_notice_version="2026-02")
    post(client, dialog, valid_data(), HTTP_ACCEPT_LANGUAGE="en")
    contribution = Contribution.objects.get()
    assert contribution.consent_notice_version == "2026-02"
    assert contribution.language == "en"


def test_text_is_normalised_and_trimmed(client, dialog):
    decomposed = unicodedata.normalize("NFD", "Åsa på ön")
    data = valid_data(text=f"  \r\n{decomposed}\r\nrad två\tmed tabb \r\n ", name=f"  {decomposed} ")
    assert post(client, dialog, data).status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.text == "Åsa på ön\nrad två\tmed tabb"
    assert contribution.text == unicodedata.normalize("NFC", contribution.text)
    assert contribution.name == "Åsa på ön"


def test_text_exactly_at_the_limit_is_accepted_counting_a_line_break_as_one(client, dialog_index):
    dialog = make_dialog(dialog_index, max_contribution_length=10)
    assert post(client, dialog, valid_data(text="abcd\r\nefgh")).status_code == 302  # 9 characters
    assert post(client, dialog, valid_data(text="a" * 10)).status_code == 302
    assert Contribution.objects.count() == 2


def test_without_the_opt_in_no_email_address_is_kept(client, dialog):
    post(client, dialog, valid_data(email="anna@example.com"))
    contribution = Contribution.objects.get()
    assert contribution.email == "" and contribution.notify is False
    receipt = soup(receipt_page(client, dialog)).select_one("#wd-receipt").get_text()
    assert "not get any email" in receipt or "inte" in receipt


def test_an_author_who_opts_in_gets_a_receipt_email(client, dialog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, dialog, valid_data(email="anna@example.com", notify="on"))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.email == "anna@example.com" and contribution.notify
    author_mail = [message for message in mail.outbox if message.to == ["anna@example.com"]]
    assert len(author_mail) == 1
    assert contribution.reference in author_mail[0].subject
    receipt = soup(receipt_page(client, dialog)).select_one("#wd-receipt").get_text()
    assert "confirmation" in receipt.lower() or "bekräftelse" in receipt.lower()


def test_without_the_opt_in_the_author_gets_no_email(client, dialog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, dialog, valid_data(email="anna@example.com"))
    assert not [message for message in mail.outbox if "anna@example.com" in message.to]


def test_every_new_contribution_tells_the_author_and_alerts_the_moderators(client, dialog, monkeypatch):
    calls = []
    monkeypatch.setattr("wagtail_dialog.contributions.notifications.tell_author", lambda c, event: calls.append(("author", c, event)))
    monkeypatch.setattr("wagtail_dialog.contributions.notifications.alert_moderators", lambda c, **_: calls.append(("moderators", c)))
    post(client, dialog, valid_data())
    contribution = Contribution.objects.get()
    assert calls == [("author", contribution, "received"), ("moderators", contribution)]


def make_moderator(django_user_model):
    moderator = django_user_model.objects.create_user("moderator", "moderator@example.com", "x")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_contribution"))
    return moderator


def test_moderators_get_the_alert_email_without_the_authors_address(
    client, dialog, django_user_model, django_capture_on_commit_callbacks
):
    make_moderator(django_user_model)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, dialog, valid_data(email="anna@example.com", notify="on"))
    moderator_mail = [message for message in mail.outbox if message.to == ["moderator@example.com"]]
    assert len(moderator_mail) == 1
    # No email carries anyone's personal data but the recipient's own.
    assert "anna@example.com" not in moderator_mail[0].body


def send(dialog, text="Fler bänkar, tack."):
    return submit_contribution(dialog, text=text, consent=True, consent_notice_version="1", language="sv")


def alerts_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_a_burst_of_contributions_sends_the_moderators_one_alert(
    dialog, django_user_model, django_capture_on_commit_callbacks
):
    make_moderator(django_user_model)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            send(dialog, f"Synpunkt {n}")
    assert len(alerts_to("moderator@example.com")) == 1
    # Once the interval has passed (its mark gone from the cache), the next
    # contribution alerts again and counts everything still waiting.
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(dialog)
    alerts = alerts_to("moderator@example.com")
    assert len(alerts) == 2
    assert "4 synpunkter" in alerts[1].body and "4 synpunkter" in alerts[1].alternatives[0][0]


def test_each_dialog_has_its_own_alert_interval(dialog, django_user_model, django_capture_on_commit_callbacks):
    make_moderator(django_user_model)
    other = make_dialog(dialog.get_parent().specific, title="Parken", opens_on=dialog.opens_on,
                        closes_on=dialog.closes_on)
    with django_capture_on_commit_callbacks(execute=True):
        send(dialog)
        send(other)
        send(dialog)
    subjects = sorted(message.subject for message in alerts_to("moderator@example.com"))
    assert len(subjects) == 2 and any("Parken" in subject for subject in subjects)


@override_settings(WAGTAIL_DIALOG_ALERT_INTERVAL=0)
def test_an_alert_interval_of_zero_alerts_for_every_contribution(
    dialog, django_user_model, django_capture_on_commit_callbacks
):
    make_moderator(django_user_model)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            send(dialog, f"Synpunkt {n}")
    assert len(alerts_to("moderator@example.com")) == 3


def test_an_alert_that_never_commits_does_not_hold_back_the_next(
    dialog, django_user_model, django_capture_on_commit_callbacks
):
    # The interval is marked when the alert is queued, after the commit: a
    # contribution rolled back leaves no mark behind.
    make_moderator(django_user_model)
    with django_capture_on_commit_callbacks(execute=False):
        send(dialog)
    with django_capture_on_commit_callbacks(execute=True):
        send(dialog)
    assert len(alerts_to("moderator@example.com")) == 1


@pytest.mark.parametrize("alerts, queued", [(AlertMode.IMMEDIATE, 1), (AlertMode.DAILY, 0), (AlertMode.OFF, 0)])
def test_the_moderator_alert_is_queued_only_when_the_site_wants_it(
    client, dialog, django_capture_on_commit_callbacks, alerts, queued
):
    site_settings(moderator_alerts=alerts)
    with django_capture_on_commit_callbacks() as callbacks:
        assert post(client, dialog, valid_data()).status_code == 302
    assert len(callbacks) == queued


# --- Validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field_id",
    [
        ({"text": None}, "id_text"),
        ({"text": ""}, "id_text"),
        ({"text": " \r\n\t \u00a0 "}, "id_text"),
        ({"text": "a" * 4001}, "id_text"),
        ({"text": "hej\x00då"}, "id_text"),
        ({"text": "hej\x07då"}, "id_text"),
        ({"text": "hej\x1bdå"}, "id_text"),
        ({"text": "trasig \ufffd text"}, "id_text"),
        ({"name": "Anna\r\nBcc: x@example.com"}, "id_name"),
        ({"name": "Anna\nSvensson"}, "id_name"),
        ({"name": "Anna\x00"}, "id_name"),
        ({"name": "A" * 101}, "id_name"),
        ({"email": "anna@example.com\r\nBcc: x@example.com", "notify": "on"}, "id_email"),
        ({"email": "inte en adress", "notify": "on"}, "id_email"),
        ({"email": "anna@example.com\x00", "notify": "on"}, "id_email"),
        ({"relation": "mayor"}, "id_relation_0"),
    ],
    ids=[
        "text-missing",
        "text-empty",
        "text-whitespace-only",
        "text-too-long",
        "text-nul",
        "text-bell",
        "text-escape",
        "text-broken-encoding",
        "name-crlf",
        "name-lf",
        "name-nul",
        "name-too-long",
        "email-crlf",
        "email-invalid",
        "email-nul",
        "relation-unknown",
    ],
)
def test_invalid_input_is_refused_with_an_error_linked_to_its_field(client, dialog, overrides, field_id):
    response = post(client, dialog, valid_data(**overrides))
    assert_field_error(response, field_id)
    assert Contribution.objects.count() == 0


def test_the_too_long_message_says_by_how_much(client, dialog_index):
    dialog = make_dialog(dialog_index, max_contribution_length=10)
    response = post(client, dialog, valid_data(text="a" * 13))
    assert_field_error(response, "id_text", "3")
    # What was written stays in the form.
    assert soup(response).select_one("#id_text").get_text().strip() == "a" * 13


def test_an_unknown_area_is_refused(client, dialog):
    site_settings(areas="Centrum")
    assert_field_error(post(client, dialog, valid_data(area="Månen")), "id_area")
    assert post(client, dialog, valid_data(area="Centrum")).status_code == 302
    assert Contribution.objects.get().area == "Centrum"


def test_asking_to_be_told_without_an_email_is_an_error_on_the_email_field(client, dialog):
    response = post(client, dialog, valid_data(notify="on"))
    page = assert_field_error(response, "id_email")
    assert page.select_one("#id_notify").has_attr("checked")
    assert Contribution.objects.count() == 0


def test_oversize_text_gives_the_form_again_not_an_error_page(client, dialog):
    response = post(client, dialog, valid_data(text="å" * 200_000))
    assert_field_error(response, "id_text")
    assert Contribution.objects.count() == 0


def test_wrong_types_and_repeated_fields_are_handled(client, dialog):
    response = client.post(
        dialog.url,
        "text=a&text=b&consent=maybe&relation=lives&relation=%5B%5D&notify=yes&email=&name[]=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200  # relation "[]" is not a choice
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"text=hej%00d%C3%A5&consent=on",
        b"text=hej\x00da&consent=on",
        b"text=%FF%FE%FD&consent=on",
        b"text=\xff\xfe\xc3\x28&consent=on",
        b"text=ok&name=%C3&consent=on",
        b"\xff\xff\xff",
        b"%%%&&&===",
        b"",
    ],
)
def test_nul_bytes_and_broken_utf8_never_give_a_server_error(client, dialog, body):
    response = client.generic("POST", dialog.url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    "body, field_id",
    [(b"text=tr\xe5sig&consent=on", "id_text"), (b"text=ok&name=%C3&consent=on", "id_name")],
)
def test_broken_utf8_is_an_error_on_its_field_not_garbled_text(client, dialog, body, field_id):
    response = client.generic("POST", dialog.url, body, content_type="application/x-www-form-urlencoded")
    assert_field_error(response, field_id)
    assert Contribution.objects.count() == 0


def test_a_broken_multipart_body_is_a_bad_request(client, dialog):
    response = client.generic("POST", dialog.url, b"--x\r\nnonsense", content_type="multipart/form-data; boundary=x")
    assert response.status_code in (200, 400)
    assert Contribution.objects.count() == 0


def test_honeypot_is_refused_with_a_bland_message_and_nothing_is_stored(client, dialog):
    response = post(client, dialog, valid_data(website="http://spam.example"))
    page = assert_field_error(response, "id_website")
    assert Contribution.objects.count() == 0
    # Now visible to anyone who has to clear it, and not pre-filled.
    trap = page.select_one("#id_website")
    assert trap.get("value") == "" and trap.get("tabindex") is None
    assert trap.find_parent("div").get("aria-hidden") is None
    # The rest is kept.
    assert "Fler bänkar" in page.select_one("#id_text").get_text()


# --- Escaping -----------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_in_text_and_name_comes_out_escaped_on_the_page(client, dialog_index):
    dialog = make_dialog(dialog_index, moderation="post")
    assert post(client, dialog, valid_data(text=XSS, name=XSS[:60])).status_code == 302
    response = client.get(dialog.url)
    html = response.content.decode()
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    page = soup(response)
    assert not page.select("script") and not page.select("img")
    assert XSS in page.select_one(".wd-contribution__text").get_text()


def test_xss_in_a_refused_form_comes_back_escaped(client, dialog):
    response = post(client, dialog, valid_data(text=XSS, name=XSS, relation="mayor"))
    html = response.content.decode()
    assert "<script>" not in html and "<img src=x" not in html
    assert soup(response).select_one("#id_text").get_text().strip() == XSS


# --- Not open ---------------------------------------------------------------


def test_an_upcoming_dialog_says_when_it_opens_and_refuses_contributions(client, dialog_index):
    opens = TODAY + datetime.timedelta(days=10)
    dialog = make_dialog(dialog_index, opens_on=opens, closes_on=opens + datetime.timedelta(days=20))
    page = soup(client.get(dialog.url))
    assert page.select_one("#wd-contribution-form") is None
    assert str(opens.year) in page.select_one(".wd-notice").get_text()
    response = post(client, dialog, valid_data(text=XSS))
    assert response.status_code == 403
    assert Contribution.objects.count() == 0
    refusal = soup(response).select_one("#wd-error-summary")
    assert refusal["role"] == "alert"
    # The resident gets back what they wrote, escaped.
    assert XSS in refusal.get_text() and "<script>" not in response.content.decode()


def test_a_closed_dialog_says_when_it_closed_and_refuses_contributions(client, dialog_index):
    closed = TODAY - datetime.timedelta(days=2)
    dialog = make_dialog(dialog_index, opens_on=closed - datetime.timedelta(days=30), closes_on=closed)
    page = soup(client.get(dialog.url))
    assert page.select_one("#wd-contribution-form") is None
    notice = page.select_one(".wd-notice").get_text()
    assert str(closed.day) in notice and str(closed.year) in notice
    assert post(client, dialog, valid_data()).status_code == 403
    assert Contribution.objects.count() == 0


def test_an_information_page_has_no_form_and_no_notice(client, dialog_index):
    dialog = make_dialog(
        dialog_index, participation_level=ParticipationLevel.INFORMATION, opens_on=None, closes_on=None
    )
    page = soup(client.get(dialog.url))
    assert page.select_one("#wd-contribute") is None and page.select_one("#wd-contributions") is None
    assert post(client, dialog, valid_data()).status_code == 403
    assert Contribution.objects.count() == 0


def test_the_service_refuses_a_closed_dialog_too(dialog_index):
    dialog = make_dialog(dialog_index, closes_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(SubmissionRefused):
        submit_contribution(dialog, text="Hej", consent=True, consent_notice_version="1", language="sv")
    assert Contribution.objects.count() == 0


# --- Rate limit ---------------------------------------------------------------


def cache_dump():
    """Every key and value in the cache, as bytes, on locmem and Redis alike."""
    backend = cache._cache
    if isinstance(backend, dict):  # LocMemCache
        return [
            (key.encode(), value if isinstance(value, bytes) else repr(value).encode()) for key, value in backend.items()
        ]
    client = backend.get_client(None, write=False)
    return [(key, client.get(key) or b"") for key in client.keys("*")]


def database_dump():
    values = []
    for model in apps.get_models():
        fields = [field.attname for field in model._meta.concrete_fields]
        values.extend(str(row) for row in model.objects.values_list(*fields))
    values.extend(str(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(values)


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=2, WAGTAIL_DIALOG_RATE_LIMIT_WINDOW=600)
def test_the_rate_limit_refuses_the_next_contribution_and_never_stores_the_address(client, dialog):
    for _ in range(2):
        assert post(client, dialog, valid_data(), REMOTE_ADDR=RAW_IP).status_code == 302
    response = post(client, dialog, valid_data(text="En tredje"), REMOTE_ADDR=RAW_IP)
    assert response.status_code == 429
    summary = soup(response).select_one("#wd-error-summary").get_text()
    assert "2" in summary and "10" in summary  # 2 contributions in 10 minutes
    assert "En tredje" in soup(response).select_one("#id_text").get_text()  # kept for the next try
    assert Contribution.objects.count() == 2
    # Another client is not affected.
    assert post(client, dialog, valid_data(), REMOTE_ADDR="198.51.100.5").status_code == 302
    assert Contribution.objects.count() == 3
    # The address is nowhere: not in a cache key or value, not in the database.
    entries = cache_dump()
    assert any(b"wagtail_dialog:rate" in key for key, _ in entries)
    for key, value in entries:
        assert RAW_IP.encode() not in key and RAW_IP.encode() not in value
    assert RAW_IP not in database_dump()


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1)
def test_the_limit_is_per_dialog(client, dialog_index):
    first, second = make_dialog(dialog_index, "Torget"), make_dialog(dialog_index, "Skolan")
    assert post(client, first, valid_data()).status_code == 302
    assert post(client, first, valid_data()).status_code == 429
    assert post(client, second, valid_data()).status_code == 302


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1)
def test_refused_forms_do_not_use_up_the_limit(client, dialog):
    for _ in range(3):
        assert post(client, dialog, valid_data(relation="mayor")).status_code == 200
    assert post(client, dialog, valid_data()).status_code == 302


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1)
def test_a_forwarded_for_header_is_not_trusted_by_default(client, dialog):
    assert post(client, dialog, valid_data(), HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 302
    assert post(client, dialog, valid_data(), HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 429


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1, WAGTAIL_DIALOG_TRUSTED_PROXY_HEADER="X-Forwarded-For")
def test_a_trusted_proxy_header_tells_clients_behind_the_proxy_apart(client, dialog):
    # The right-most address is the one the site's own proxy added.
    assert post(client, dialog, valid_data(), HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.1").status_code == 302
    assert post(client, dialog, valid_data(), HTTP_X_FORWARDED_FOR="7.7.7.7, 192.0.2.1").status_code == 429
    assert post(client, dialog, valid_data(), HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302


def test_an_ipv6_client_is_counted_by_its_64_network(rf, dialog):
    one = rf.post("/", REMOTE_ADDR="2001:db8:1:2::1")
    other_in_same_network = rf.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    elsewhere = rf.post("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert ratelimit.client_key(one, dialog) == ratelimit.client_key(other_in_same_network, dialog)
    assert ratelimit.client_key(one, dialog) != ratelimit.client_key(elsewhere, dialog)


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=3, WAGTAIL_DIALOG_RATE_LIMIT_WINDOW=60)
def test_counting_uses_the_shared_cache_atomically(rf, dialog):
    request = rf.post("/", REMOTE_ADDR=RAW_IP)
    assert [ratelimit.count(request, dialog) for _ in range(4)] == [True, True, True, False]
    assert cache.get(ratelimit.client_key(request, dialog)) == 4
    assert ratelimit.is_limited(request, dialog)
    cache.delete(ratelimit.client_key(request, dialog))  # the window ends
    assert not ratelimit.is_limited(request, dialog)
    assert ratelimit.count(request, dialog)


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=1)
def test_a_client_over_the_limit_is_told_so_with_an_invalid_form_too(client, dialog):
    assert post(client, dialog, valid_data()).status_code == 302
    response = post(client, dialog, valid_data(relation="mayor", text="Fel val"))
    assert response.status_code == 429
    summary = soup(response).select_one("#wd-error-summary")
    assert summary.select_one('a[href="#id_relation_0"]') is not None  # the form's own error too
    assert "1" in summary.get_text() and "10" in summary.get_text()
    assert Contribution.objects.count() == 1


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=3, WAGTAIL_DIALOG_RATE_LIMIT_WINDOW=60)
def test_a_count_key_recreated_without_expiry_gets_the_window_again(rf, dialog):
    # Redis's INCR recreates a key that expired between the backend's
    # existence check and the increment, with no expiry: counted as 1, it
    # must be given the window again or the client stays limited for good.
    request = rf.post("/", REMOTE_ADDR=RAW_IP)
    with mock.patch.object(ratelimit.cache, "incr", return_value=1), mock.patch.object(ratelimit.cache, "touch") as touch:
        assert ratelimit.count(request, dialog)
    touch.assert_called_once_with(ratelimit.client_key(request, dialog), 60)


@override_settings(WAGTAIL_DIALOG_RATE_LIMIT=None)
def test_the_limit_can_be_turned_off(client, dialog):
    for _ in range(7):
        assert post(client, dialog, valid_data()).status_code == 302


# --- Published contributions -------------------------------------------------


def test_only_published_contributions_are_shown_newest_first_with_replies(client, dialog):
    now = timezone.now()
    make_contribution(
        dialog,
        "Äldst publicerad",
        status=ContributionStatus.PUBLISHED,
        name="Bertil",
        email="bertil@example.com",
        relation="works",
        area="Norra byn",
        submitted_at=now - datetime.timedelta(days=3),
        reply="Tack, vi tar med det.",
        reply_signature="Samhällsbyggnadsnämnden",
        replied_at=now - datetime.timedelta(days=1),
    )
    make_contribution(dialog, "Nyast publicerad", status=ContributionStatus.PUBLISHED, submitted_at=now)
    make_contribution(dialog, "Väntar på moderering", status=ContributionStatus.PENDING, email="p@example.com")
    make_contribution(dialog, "Avvisad text", status=ContributionStatus.REJECTED, email="r@example.com")
    make_contribution(dialog, "Skräppost text", status=ContributionStatus.SPAM, email="s@example.com")

    response = client.get(dialog.url)
    html = response.content.decode()
    for hidden in ("Väntar på moderering", "Avvisad text", "Skräppost text", "@example.com"):
        assert hidden not in html
    section = soup(response).select_one("section#wd-contributions")
    assert section.h2 is not None
    items = section.select("ol.wd-contribution-list > li > article")
    assert [item.select_one(".wd-contribution__text").get_text(strip=True) for item in items] == [
        "Nyast publicerad",
        "Äldst publicerad",
    ]
    newest, oldest = items
    assert newest.h3.get_text(strip=True) in ("Anonymous", "Anonym")
    assert oldest.h3.get_text(strip=True) == "Bertil"
    meta = oldest.select_one(".wd-contribution__meta").get_text()
    assert "Norra byn" in meta
    reply = oldest.select_one(".wd-reply")
    assert reply.h4 is not None
    assert "Tack, vi tar med det." in reply.get_text() and "Samhällsbyggnadsnämnden" in reply.get_text()
    assert reply.select_one("time")["datetime"]
    assert newest.select_one(".wd-reply") is None


def test_contribution_text_keeps_its_line_breaks(client, dialog):
    make_contribution(dialog, "Första raden\nAndra raden", status=ContributionStatus.PUBLISHED)
    text = soup(client.get(dialog.url)).select_one(".wd-contribution__text")
    assert text.find("br") is not None


@override_settings(WAGTAIL_DIALOG_CONTRIBUTIONS_PER_PAGE=2)
def test_published_contributions_are_paginated_with_plain_links(client, dialog):
    now = timezone.now()
    for number in range(5):
        make_contribution(
            dialog, f"Synpunkt {number}", status=ContributionStatus.PUBLISHED,
            submitted_at=now - datetime.timedelta(hours=number),
        )
    first = soup(client.get(dialog.url))
    assert [t.get_text(strip=True) for t in first.select(".wd-contribution__text")] == ["Synpunkt 0", "Synpunkt 1"]
    nav = first.select_one("nav.wd-pagination")
    assert nav["aria-label"]
    assert nav.select_one('a[rel="next"]')["href"] == "?contributions_page=2#wd-contributions"
    third = soup(client.get(dialog.url, {"contributions_page": 3}))
    assert [t.get_text(strip=True) for t in third.select(".wd-contribution__text")] == ["Synpunkt 4"]
    assert third.select_one("ol.wd-contribution-list")["start"] == "5"
    for bogus in ("0", "-1", "abc", "99999999999999999999", "1e9", "\x00"):
        response = client.get(dialog.url, {"contributions_page": bogus})
        assert response.status_code == 200


def test_a_dialog_that_hides_contributions_shows_none(client, dialog_index):
    dialog = make_dialog(dialog_index, show_contributions=False)
    make_contribution(dialog, "Publicerad men dold", status=ContributionStatus.PUBLISHED)
    response = client.get(dialog.url)
    assert "Publicerad men dold" not in response.content.decode()
    assert soup(response).select_one("#wd-contributions") is None


def test_a_closed_dialog_still_shows_what_was_published(client, dialog_index):
    dialog = make_dialog(
        dialog_index, opens_on=TODAY - datetime.timedelta(days=40), closes_on=TODAY - datetime.timedelta(days=10)
    )
    make_contribution(dialog, "Sagt medan den var öppen", status=ContributionStatus.PUBLISHED)
    assert "Sagt medan den var öppen" in soup(client.get(dialog.url)).select_one("#wd-contributions").get_text()


def test_the_heading_structure_fits_the_page(client, dialog):
    make_contribution(dialog, "Publicerad", status=ContributionStatus.PUBLISHED, reply="Svar")
    page = soup(client.get(dialog.url))
    levels = [int(heading.name[1]) for heading in page.select("h1, h2, h3, h4, h5, h6")]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:]):
        assert current <= previous + 1, levels


@pytest.mark.parametrize("field", ["text", "name", "email"])
def test_a_refused_form_shows_control_characters_as_replacement_characters(client, dialog, field):
    """The resident sees where the invisible character was, and the page stays valid HTML."""
    value = {"text": "hej\x00då\x07", "name": "Anna\x00", "email": "anna@example.com\x00"}[field]
    response = post(client, dialog, valid_data(**{field: value, "notify": "on" if field == "email" else None}))
    assert response.status_code == 200 and Contribution.objects.count() == 0
    html = response.content.decode()
    assert "\x00" not in html and "\x07" not in html
    control = soup(response).select_one(f"#id_{field}")
    shown = control.get_text().lstrip("\n") if control.name == "textarea" else control["value"]
    assert shown == value.replace("\x00", "\ufffd").replace("\x07", "\ufffd")


def test_tabs_and_line_breaks_are_shown_back_as_written(client, dialog):
    text = "rad ett\n\trad två\x00"
    response = post(client, dialog, valid_data(text=text))
    assert soup(response).select_one("#id_text").get_text().strip("\n") == "rad ett\n\trad två\ufffd"


def test_the_empty_form_marks_required_fields_without_calling_them_invalid(client, dialog):
    page = soup(client.get(dialog.url))
    assert page.select("#wd-contribution-form [required]") == []
    assert page.select("#wd-contribution-form [aria-invalid]") == []
    assert page.select_one("#id_text")["aria-required"] == "true"
