"""A person's request about their own data: find everything sent with an email
address across all dialogs, export it, erase it (anonymise or delete), and keep an
audit record that holds a keyed digest of the address, never the address."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from tests.factories import make_contribution
from tests.test_permissions import *  # noqa: F403  (the shared fixtures)
from tests.test_permissions import EMAIL, NAME, inbox_url, make_group, make_user, outcome
from wagtail_dialog.admin.personal_data import ERASE, EXPORT, INDEX, RECORDS
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.contributions.history import ContributionLogEntry
from wagtail_dialog.privacy import requests as personal_data
from wagtail_dialog.privacy.requests import ErasureMode, PersonalDataRequest, RequestKind
from wagtail_dialog.privacy.retention import personal_fields

OTHER_EMAIL = "bertil.berg@example.com"
NOTE = "KS 2026/123"


@pytest.fixture
def person(dialog_a, dialog_b):
    """Anna's contributions to both dialogs (her address written two ways) and Bertil's to A."""
    first = make_contribution(
        dialog_a, text="Fler bänkar på torget.", name=NAME, email="Anna.Andersson@Example.com", notify=True,
        relation="lives", area="Norrby", moderator_note="Ring Anna om bänkarna", message_to_author="Hej Anna!",
        status=ContributionStatus.PUBLISHED, reply="Vi ställer ut fem.",
    )
    first.tags.add("bänkar")
    second = make_contribution(dialog_b, text="Mer ljus i parken.", name=NAME, email=EMAIL)
    other = make_contribution(dialog_a, text="Färre bilar.", name="Bertil Berg", email=OTHER_EMAIL)
    return {"first": first, "second": second, "other": other}


@pytest.fixture
def handler(django_user_model):
    """A registrar who handles requests (through a group) but moderates no dialog."""
    group = make_group("Registrators", perms=[personal_data.HANDLE])
    return make_user(django_user_model, "registrator", groups=[group])


DECISION = "DHP KS 2025:3, 4.2.1"


def erase_post(client, mode, email=EMAIL, note=NOTE, decision=DECISION):
    return client.post(
        reverse(ERASE), {"email": email, "note": note, "mode": mode, "confirm": "1", "decision": decision}
    )


def export_post(client, export_format, email=EMAIL, note=NOTE):
    response = client.post(reverse(EXPORT), {"email": email, "note": note, "format": export_format})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content) if response.streaming else response.content


def csv_dicts(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def everywhere_in_logs():
    """Every page, model and contribution log entry, as text."""
    entries = (list(PageLogEntry.objects.values()) + list(ModelLogEntry.objects.values())
               + list(ContributionLogEntry.objects.values()))
    return json.dumps(entries, default=str).lower()


def test_find_ignores_case_and_spaces_and_spans_every_dialog(person, dialog_a, dialog_b):
    found = personal_data.find("  ANNA.andersson@EXAMPLE.com ")
    assert {c.pk for c in found} == {person["first"].pk, person["second"].pk}
    assert {c.dialog_id for c in found} == {dialog_a.pk, dialog_b.pk}
    assert list(personal_data.find("")) == []
    assert list(personal_data.find("nobody@example.com")) == []


def test_the_search_shows_the_contributions_and_earlier_requests(person, users, login):
    client = login(users["superuser"])
    personal_data.record_access(EMAIL, users["superuser"], "KS 2025/9")
    page = client.post(reverse(INDEX), {"email": EMAIL.upper(), "note": NOTE}).content.decode()
    assert person["first"].reference in page and person["second"].reference in page
    assert person["other"].reference not in page and OTHER_EMAIL not in page
    assert "2 contributions sent with" in page
    assert "KS 2025/9" in page  # the earlier request, found by its digest
    # The address is carried to the actions in POST bodies, never in a URL.
    assert f'href="{reverse(ERASE)}?' not in page and "?email=" not in page
    assert page.count('id="id_email"') == 1  # the actions' hidden copies repeat no id


def test_an_invalid_address_is_a_form_error_and_nothing_is_recorded(person, users, login):
    response = login(users["superuser"]).post(reverse(INDEX), {"email": "inte-en-adress", "note": NOTE})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    page = response.content.decode()
    assert 'value="inte-en-adress"' in page and 'value="KS 2026/123"' in page  # what was typed is kept
    assert 'aria-invalid="true"' in page or "error-message" in page
    assert not PersonalDataRequest.objects.exists()


def test_the_note_may_not_hold_an_address(person, users, login):
    response = login(users["superuser"]).post(reverse(INDEX), {"email": EMAIL, "note": f"från {EMAIL}"})
    assert response.context["form"].errors["note"]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_holds_the_persons_contributions_only_and_is_recorded(
    export_format, person, users, login, dialog_a, dialog_b
):
    response, content = export_post(login(users["superuser"]), export_format, email=f" {EMAIL.upper()} ")
    assert "attachment" in response["Content-Disposition"] and "example" not in response["Content-Disposition"]
    if export_format == "csv":
        rows = csv_dicts(content)
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        header, *values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        rows = [dict(zip(header, row)) for row in values]
    assert sorted(row["Reference number"] for row in rows) == sorted([person["first"].reference,
                                                                      person["second"].reference])
    first = next(row for row in rows if row["Reference number"] == person["first"].reference)
    # Every field, the personal ones too.
    assert first["Name"] == NAME and first["Email"] == "Anna.Andersson@Example.com"
    assert first["Internal note"] == "Ring Anna om bänkarna" and first["Message to the author"] == "Hej Anna!"
    assert first["Area"] == "Norrby" and first["Tags"] == "bänkar"
    assert first["Tell the author what happens"] == "Yes"
    text = content.decode("utf-8-sig") if export_format == "csv" else json.dumps(rows, default=str)
    assert OTHER_EMAIL not in text and "Bertil" not in text
    record = PersonalDataRequest.objects.get()
    assert record.kind == RequestKind.ACCESS and record.contributions == 2 and record.note == NOTE
    assert record.handled_by == users["superuser"] and record.mode == ""
    assert sorted(dialog["id"] for dialog in record.dialogs) == sorted([dialog_a.pk, dialog_b.pk])
    # Nothing was changed by exporting.
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2


def test_erasing_by_anonymising_keeps_the_text_and_empties_the_personal_fields(
    person, users, login, dialog_a, dialog_b
):
    client = login(users["superuser"])
    response = erase_post(client, ErasureMode.ANONYMISE)
    assert response.status_code == 302 and response["Location"] == reverse(INDEX)
    # The success message says what was done.
    assert "2 contributions anonymised in 2 dialogs" in client.get(reverse(INDEX)).content.decode()
    for key in ("first", "second"):
        contribution = Contribution.objects.get(pk=person[key].pk)
        for field, empty in personal_fields().items():
            assert getattr(contribution, field) == empty, field
        assert contribution.anonymised_at is not None
        assert contribution.text == person[key].text
    first = Contribution.objects.get(pk=person["first"].pk)
    assert first.reply == "Vi ställer ut fem." and first.status == ContributionStatus.PUBLISHED
    assert "ring" not in first.moderator_search_terms.split()
    # Bertil's contribution is untouched.
    assert Contribution.objects.get(pk=person["other"].pk).email == OTHER_EMAIL
    # Neither the inbox, its export nor the tool show the address any more.
    listing = client.get(inbox_url("index")).content.decode().lower()
    assert EMAIL not in listing and NAME.lower() not in listing and OTHER_EMAIL in listing
    exported = b"".join(client.get(inbox_url("index"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert EMAIL not in exported.lower() and NAME not in exported
    assert list(personal_data.find(EMAIL)) == []
    # Each dialog's history says how many.
    record = PersonalDataRequest.objects.get()
    assert (record.kind, record.mode, record.contributions) == (RequestKind.ERASURE, ErasureMode.ANONYMISE, 2)
    for dialog in (dialog_a, dialog_b):
        entry = PageLogEntry.objects.get(page=dialog, action=personal_data.LOG_ACTION)
        assert entry.data == {"contributions": 1, "mode": "anonymise", "request": record.pk, "decision": DECISION}
        assert entry.user == users["superuser"]


def test_erasing_by_deleting_removes_the_contributions(person, users, login):
    response = erase_post(login(users["superuser"]), ErasureMode.DELETE)
    assert response.status_code == 302
    assert not Contribution.objects.filter(pk__in=[person["first"].pk, person["second"].pk]).exists()
    assert Contribution.objects.filter(pk=person["other"].pk).exists()
    record = PersonalDataRequest.objects.get()
    assert (record.mode, record.contributions, len(record.dialogs)) == (ErasureMode.DELETE, 2, 2)
    assert record.decision == DECISION
    assert PageLogEntry.objects.filter(action=personal_data.LOG_ACTION).count() == 2


def test_erasing_takes_the_contributions_out_of_the_search(person, dialog_a, django_capture_on_commit_callbacks):
    from wagtail.search.backends import get_search_backend

    from wagtail_dialog.search import indexing

    with django_capture_on_commit_callbacks(execute=True):
        indexing.schedule(person["first"])
    backend = get_search_backend()
    assert [c.pk for c in backend.search("bänkar", Contribution)] == [person["first"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(EMAIL, None, ErasureMode.DELETE, decision=DECISION)
    assert list(backend.search("bänkar", Contribution)) == []


def test_the_audit_record_and_the_logs_hold_a_digest_never_the_address(person, users, login):
    client = login(users["superuser"])
    export_post(client, "csv")
    erase_post(client, ErasureMode.ANONYMISE)
    assert PersonalDataRequest.objects.count() == 2
    for record in PersonalDataRequest.objects.all():
        row = json.dumps(model_to_dict(record), default=str).lower()
        assert EMAIL not in row and "anna.andersson" not in row
        assert record.email_digest == personal_data.email_digest(EMAIL.upper()) and len(record.email_digest) == 64
    assert "anna.andersson" not in everywhere_in_logs()
    assert set(personal_data.requests_for(f" {EMAIL.upper()}")) == set(PersonalDataRequest.objects.all())
    assert not personal_data.requests_for(OTHER_EMAIL).exists()


def test_the_past_requests_list_shows_no_address(person, users, login):
    client = login(users["superuser"])
    export_post(client, "csv")
    erase_post(client, ErasureMode.DELETE)
    page = client.get(reverse(RECORDS)).content.decode()
    assert page.count(NOTE) == 2 and "Torget A" in page and "Parken B" in page
    assert "anna.andersson" not in page.lower()


def test_records_made_before_a_key_rotation_are_found_through_the_fallback_keys(person):
    with override_settings(SECRET_KEY="the-old-key"):
        record = personal_data.record_access(EMAIL, None)
    with override_settings(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=["the-old-key"]):
        assert list(personal_data.requests_for(EMAIL)) == [record]
    with override_settings(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=[]):
        assert list(personal_data.requests_for(EMAIL)) == []


def test_an_unknown_mode_is_refused(person):
    with pytest.raises(ValueError):
        personal_data.erase(EMAIL, None, "shred")
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2


def test_posting_the_address_shows_the_confirmation_and_erases_nothing(person, users, login):
    response = login(users["superuser"]).post(reverse(ERASE), {"email": EMAIL, "note": NOTE})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Yes, erase" in page and 'name="mode"' in page and "2 contributions sent with" in page
    assert "Torget A: 1 contribution" in page
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2
    assert not PersonalDataRequest.objects.exists()


def test_confirming_without_a_mode_asks_again(person, users, login):
    response = login(users["superuser"]).post(reverse(ERASE), {"email": EMAIL, "note": NOTE, "confirm": "1"})
    assert response.status_code == 200 and response.context["form"].errors["mode"]
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2


def test_a_get_never_erases(person, users, login):
    client = login(users["superuser"])
    for url in (reverse(ERASE), f"{reverse(ERASE)}?email={EMAIL}&mode=delete&confirm=1", reverse(EXPORT)):
        assert client.get(url)["Location"] == reverse(INDEX)
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2
    assert not PersonalDataRequest.objects.exists()


def test_csrf_is_enforced(person, users):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["superuser"])
    assert erase_post(client, ErasureMode.DELETE).status_code == 403
    assert client.post(reverse(EXPORT), {"email": EMAIL, "format": "csv"}).status_code == 403
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2
    assert not PersonalDataRequest.objects.exists()
    # With the token the search form carries it goes through.
    client.get(reverse(INDEX))
    token = client.cookies["csrftoken"].value
    assert erase_post(client, ErasureMode.DELETE, note="").status_code == 403  # a cookie alone is not enough
    response = client.post(
        reverse(ERASE),
        {"email": EMAIL, "mode": "delete", "confirm": "1", "decision": DECISION, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert not Contribution.objects.filter(email__iexact=EMAIL).exists()


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", "login"), ("editor", "denied"), ("moderator_a", "denied"), ("superuser", "ok"), ("handler", "ok"),
])
@pytest.mark.parametrize("url", [INDEX, RECORDS])
def test_who_may_open_the_tool(who, expected, url, users, handler, login):
    everyone = {**users, "handler": handler}
    assert outcome(login(everyone[who]).get(reverse(url))) == expected


@pytest.mark.parametrize("who", ["anonymous", "editor", "moderator_a"])
def test_who_may_not_export_or_erase(who, person, users, login):
    client = login(users[who])
    assert outcome(client.post(reverse(INDEX), {"email": EMAIL})) in {"login", "denied"}
    assert outcome(client.post(reverse(EXPORT), {"email": EMAIL, "format": "csv"})) in {"login", "denied"}
    assert outcome(erase_post(client, ErasureMode.DELETE)) in {"login", "denied"}
    assert Contribution.objects.filter(email__iexact=EMAIL).count() == 2
    assert not PersonalDataRequest.objects.exists()


def test_a_handler_works_on_every_dialog(person, handler, login):
    client = login(handler)
    page = client.post(reverse(INDEX), {"email": EMAIL}).content.decode()
    assert person["first"].reference in page and person["second"].reference in page
    _, content = export_post(client, "csv")
    assert len(csv_dicts(content)) == 2
    assert erase_post(client, ErasureMode.ANONYMISE).status_code == 302
    assert PersonalDataRequest.objects.filter(kind=RequestKind.ERASURE, handled_by=handler).count() == 1


def test_the_menu_item_is_for_those_with_the_permission(users, handler, login):
    url = reverse(INDEX)
    assert url in login(handler).get(reverse("wagtailadmin_home")).content.decode()
    assert url in login(users["superuser"]).get(reverse("wagtailadmin_home")).content.decode()
    assert url not in login(users["moderator_a"]).get(reverse("wagtailadmin_home")).content.decode()


def test_the_permission_can_be_given_to_a_group(users, login):
    permission = Permission.objects.get(codename="handle_personal_data_requests")
    assert str(permission.name) == "Can find, export and erase a person's data"
    group = make_group("Dataskydd")
    page = login(users["superuser"]).get(reverse("wagtailusers_groups:edit", args=[group.pk])).content.decode()
    assert f'value="{permission.pk}"' in page
