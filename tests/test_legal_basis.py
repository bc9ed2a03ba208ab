"""The legal basis of a dialog and what a resident is told before sending
(GDPR article 13): no consent box unless consent is the basis, a notice built
from the site's and the dialog's settings, the public record sentence on the
form, the receipt and the first email, and a stop link and the privacy link in
every email to an author."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import translation

from tests.factories import make_dialog
from tests.test_contribution_form import post, site_settings, soup, valid_data
from wagtail_dialog.contributions import Contribution, ContributionStatus, ModerationReason
from wagtail_dialog.contributions.submission import SubmissionRefused, submit_contribution
from wagtail_dialog.dialogs.legal_basis import LegalBasis, asks_to_tick, legal_basis

PUBLIC_RECORD_SV = "blir en allmän handling"


def form_of(client, dialog):
    return soup(client.get(dialog.url)).select_one("form#wd-contribution-form")


def without_consent(**overrides):
    data = valid_data(**overrides)
    data.pop("consent", None)
    return data


def test_by_default_the_form_asks_no_consent_and_says_nothing_of_it(client, dialog):
    form = form_of(client, dialog)
    assert form.select_one("#id_consent") is None
    text = form.get_text(" ").lower()
    # Swedish: no consent wording anywhere on the form under the default basis.
    assert "samtyck" not in text
    assert "uppgift av allmänt intresse" in text
    assert post(client, dialog, without_consent()).status_code == 302
    assert Contribution.objects.count() == 1


def test_the_swedish_catalogue_has_no_consent_wording_left_on_the_contribution_form():
    import pathlib

    import polib

    from wagtail_dialog.contributions.forms import ContributionForm

    # Consent wording belongs only to the box a site that chooses consent shows.
    with translation.override("en"):
        allowed = {str(text) for text in ContributionForm.TICK_TEXTS["consent"]}
    on_the_form = ("contributions/forms.py", "contribution_fields.html", "privacy_notice.html",
                   "contribution_receipt.html", "contribution_form.html")
    catalogue = pathlib.Path(__file__).parents[1] / "wagtail_dialog/locale/sv/LC_MESSAGES/django.po"
    checked = 0
    for entry in polib.pofile(str(catalogue)):
        if entry.obsolete or entry.msgid in allowed:
            continue
        if any(path.endswith(on_the_form) for path, _line in entry.occurrences):
            checked += 1
            text = " ".join([entry.msgstr, *entry.msgstr_plural.values()]).lower()
            assert "samtyck" not in text and "godkänn" not in text, entry.msgid
    assert checked > 20  # the form's strings were found


def test_the_notice_carries_what_article_13_asks(client, dialog):
    site_settings(
        controller="Kommunstyrelsen i Exempelkommun",
        data_protection_contact="dataskyddsombud@example.se",
        contact="dialog@example.se",
        retention_months=24,
        privacy_notice='<p>Läs <a href="https://example.se/personuppgifter">kommunens sida</a>.</p>',
    )
    notice = form_of(client, dialog).select_one("#wd-privacy")
    text = notice.get_text(" ")
    assert PUBLIC_RECORD_SV in text
    assert "Kommunstyrelsen i Exempelkommun" in text and "dataskyddsombud@example.se" in text
    assert "24 månader" in text and "Texten i din synpunkt sparas" in text
    assert "Integritetsskyddsmyndigheten" in text and "invända" in text
    assert "dialog@example.se" in text
    # The site's own text under "read more", folded.
    assert notice.select_one("details summary") and notice.select_one('details a[href="https://example.se/personuppgifter"]')


def test_a_dialog_names_its_own_controller_and_basis(client, dialog):
    site_settings(controller="Kommunstyrelsen")
    dialog.controller = "Samhällsbyggnadsnämnden"
    dialog.legal_basis = LegalBasis.LEGAL_OBLIGATION
    dialog.save_revision().publish()
    text = form_of(client, dialog).select_one("#wd-privacy").get_text(" ")
    assert "Samhällsbyggnadsnämnden" in text and "Kommunstyrelsen" not in text
    assert "rättslig förpliktelse" in text.lower() and "plan- och bygglagen" in text


def test_the_public_record_sentence_can_be_turned_off(client, dialog):
    site_settings(public_record_notice=False)
    assert PUBLIC_RECORD_SV not in form_of(client, dialog).get_text(" ")


def test_where_consent_is_the_basis_the_form_asks_for_it_and_refuses_without(client, dialog):
    site_settings(legal_basis=LegalBasis.CONSENT)
    form = form_of(client, dialog)
    box = form.select_one("#id_consent")
    assert box is not None and box["aria-required"] == "true"
    assert "samtycker" in form.select_one('label[for="id_consent"]').get_text()
    response = post(client, dialog, without_consent())
    assert response.status_code == 200
    assert soup(response).select_one('#wd-error-summary a[href="#id_consent"]') is not None
    assert Contribution.objects.count() == 0
    assert post(client, dialog, valid_data()).status_code == 302


def test_the_service_refuses_a_contribution_without_consent_only_where_consent_is_the_basis(dialog):
    site_settings(legal_basis=LegalBasis.CONSENT)
    with pytest.raises(SubmissionRefused):
        submit_contribution(dialog, text="Hej", consent_notice_version="1", language="sv")
    dialog.legal_basis = LegalBasis.PUBLIC_TASK
    dialog.save()
    assert submit_contribution(dialog, text="Hej", consent_notice_version="1", language="sv").pk


def test_a_site_may_ask_authors_to_confirm_they_have_read_the_notice(client, dialog):
    site_settings(ask_acknowledgement=True)
    form = form_of(client, dialog)
    assert "läst" in form.select_one('label[for="id_consent"]').get_text()
    assert "samtyck" not in form.get_text(" ").lower()
    assert post(client, dialog, without_consent()).status_code == 200
    assert post(client, dialog, valid_data()).status_code == 302


def test_the_basis_falls_back_from_dialog_to_site_to_public_task(dialog):
    assert legal_basis(dialog, None) == LegalBasis.PUBLIC_TASK
    settings = site_settings(legal_basis=LegalBasis.LEGAL_OBLIGATION)
    assert legal_basis(dialog, settings) == LegalBasis.LEGAL_OBLIGATION
    dialog.legal_basis = LegalBasis.CONSENT
    assert legal_basis(dialog, settings) == LegalBasis.CONSENT
    assert asks_to_tick(dialog, settings) == "consent"


def test_each_field_says_why_it_is_asked(client, dialog):
    form = form_of(client, dialog)
    assert "om den publiceras" in form.select_one("#id_name-hint").get_text()
    assert "publicerar den inte på webbplatsen" in form.select_one("#id_email-hint").get_text()
    assert "hälsa" in form.select_one("#id_text-hint").get_text()
    relation = form.select_one("#id_relation-hint")
    assert "statistik" in relation.get_text()
    assert "id_relation-hint" in relation.find_parent("fieldset")["aria-describedby"].split()


def test_the_receipt_and_the_first_email_say_it_is_a_public_record(client, dialog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, dialog, valid_data(email="anna@example.com", notify="on"))
    receipt = soup(client.get(dialog.url + "receipt/")).select_one("#wd-receipt").get_text(" ")
    assert "allmän handling" in receipt
    (message,) = [message for message in mail.outbox if message.to == ["anna@example.com"]]
    assert "allmän handling" in message.body
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    assert "allmän handling" in html.get_text()


def test_every_email_to_an_author_has_a_stop_link_and_the_privacy_link(client, dialog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, dialog, valid_data(email="anna@example.com", notify="on"))
    (message,) = [message for message in mail.outbox if message.to == ["anna@example.com"]]
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    links = {a["href"] for a in html.select("a")}
    privacy = [href for href in links if href.endswith("/privacy/")]
    stop = [href for href in links if "/unsubscribe/" in href]
    assert privacy and stop
    assert stop[0] in message.body and privacy[0] in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{stop[0]}>"
    # Both links work: the privacy page shows the notice; the stop page asks first.
    path = "/" + privacy[0].split("://", 1)[1].split("/", 1)[1]
    page = soup(client.get(path))
    assert page.select_one("#wd-privacy") is not None and page.h1
    stop_path = "/" + stop[0].split("://", 1)[1].split("/", 1)[1]
    assert soup(client.get(stop_path)).select_one("form button").get_text().strip() == "Sluta skicka e-post till mig"
    client.post(stop_path)
    assert not Contribution.objects.get().notify


def test_a_rejection_without_a_contact_points_to_no_contact_below(dialog):
    from wagtail_dialog.contributions import notifications

    site_settings(contact="")
    contribution = submit_contribution(
        dialog, text="Hej", consent_notice_version="1", language="sv", email="anna@example.com", notify=True
    )
    contribution.status = ContributionStatus.REJECTED
    contribution.moderation_reason = ModerationReason.OFF_TOPIC
    contribution.save()
    mail.outbox.clear()
    with translation.override("sv"):
        notifications.send_author_email.call(contribution.pk, "rejected")
    (message,) = mail.outbox
    assert "nedan" not in message.body and "kontakta kommunen" in message.body
    assert "Hör inte till den här dialogen" in message.body


def test_the_privacy_page_of_a_closed_dialog_still_shows_the_notice(client, dialog_index):
    import datetime

    closed = make_dialog(
        dialog_index, "Stängd", slug="stangd",
        opens_on=datetime.date(2020, 1, 1), closes_on=datetime.date(2020, 2, 1),
    )
    assert form_of(client, closed) is None
    response = client.get(closed.url + "privacy/")
    assert response.status_code == 200 and soup(response).select_one("#wd-privacy dl")


def test_on_the_form_the_notice_keeps_the_essentials_in_view_and_folds_the_rest(client, dialog):
    site_settings(controller="Kommunstyrelsen")
    notice = form_of(client, dialog).select_one("#wd-privacy")
    in_view = notice.find("dl", recursive=False).get_text(" ")
    assert "Kommunstyrelsen" in in_view and "Hur länge" in in_view
    assert notice.select_one(".wd-public-record") is not None
    folded = notice.select_one("details")
    assert not folded.has_attr("open") and "Dina rättigheter" in folded.get_text(" ")
    # On its own page nothing is folded.
    assert soup(client.get(dialog.url + "privacy/")).select_one("#wd-privacy details").has_attr("open")


def test_an_author_can_take_back_showing_their_name_by_the_link_and_keep_the_emails(client, dialog):
    from wagtail_dialog.contributions import name_shown, notifications
    from wagtail_dialog.contributions.history import ContributionLogEntry

    contribution = submit_contribution(
        dialog, text="Fler bänkar.", consent_notice_version="1", language="sv",
        name="Gunnel Ek", email="gunnel@example.com", notify=True,
    )
    contribution.status = ContributionStatus.PUBLISHED
    contribution.save()
    assert "Gunnel Ek" in client.get(dialog.url).content.decode()
    path = "/" + notifications.unsubscribe_url(contribution, dialog).split("://", 1)[1].split("/", 1)[1]
    buttons = [button.get_text().strip() for button in soup(client.get(path)).select("form button")]
    assert buttons == ["Sluta skicka e-post till mig", "Sluta visa mitt namn"]
    page = soup(client.post(path, {"action": "hide_name"}))
    assert page.select_one("[role=status]") is not None and "utan ditt namn" in page.get_text()
    contribution.refresh_from_db()
    # Off the website, not out of the record; the emails go on.
    assert (contribution.name, contribution.name_shown, contribution.notify) == ("Gunnel Ek", False, True)
    listed = soup(client.get(dialog.url)).select_one(f"#wd-contribution-{contribution.pk}").get_text()
    assert "Gunnel Ek" not in listed and "Anonym" in listed
    assert ContributionLogEntry.objects.filter(object_id=str(contribution.pk), action=name_shown.LOG_ACTION).exists()
    # The link now offers only the emails.
    assert [b.get_text().strip() for b in soup(client.get(path)).select("form button")] == ["Sluta skicka e-post till mig"]


def test_the_rights_follow_the_legal_basis(client, dialog):
    def rights():
        notice = form_of(client, dialog).select_one("#wd-privacy")
        return notice.find("dt", string="Dina rättigheter").find_next_sibling("dd").get_text(" ")

    assert "invända mot behandlingen" in rights()  # a public task: article 21
    site_settings(legal_basis=LegalBasis.LEGAL_OBLIGATION)
    assert "invända mot behandlingen" not in rights() and "lagen kräver" in rights()
    site_settings(legal_basis=LegalBasis.CONSENT)
    assert "maskinläsbar" in rights() and "samtycke" in rights()
    assert "Integritetsskyddsmyndigheten" in rights()


def test_where_nothing_would_be_removed_the_notice_promises_no_date(client, dialog):
    from wagtail_dialog.dialogs.gallring import AfterRetention

    site_settings(retention_months=24)
    assert "24 månader" in form_of(client, dialog).select_one("#wd-privacy").get_text(" ")
    for settings in ({"require_gallring_decision": True, "gallring_decision": ""},
                     {"require_gallring_decision": False, "after_retention": AfterRetention.KEEP}):
        site_settings(**settings)
        text = form_of(client, dialog).select_one("#wd-privacy").get_text(" ")
        assert "24 månader" not in text and "bevarande och gallring" in text


def test_emails_about_a_page_outside_every_site_still_go_out(dialog, monkeypatch):
    from wagtail_dialog.contributions import notifications

    # A page outside every site's tree has no full URL; the moderators' emails are still sent.
    monkeypatch.setattr(type(dialog), "get_full_url", lambda self, request=None: None)
    context = notifications.site_context(dialog)
    assert context["dialog_url"] is None and context["privacy_url"] == ""
