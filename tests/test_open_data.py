"""Open data below a dialog index: JSON of dialogs and published contributions,
and an Atom feed of new dialogs and feedback; never any personal data."""

import datetime
import json
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import make_contribution, make_dialog
from wagtail_dialog.contributions import ContributionStatus
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.followup import open_data

PUBLISHED = ContributionStatus.PUBLISHED
PERSONAL = ("Hemliga Hanna", "hanna@example.com", "Intern anteckning", "Norrby")


@pytest.fixture
def world(dialog_index):
    shown = make_dialog(dialog_index, "Torget", tags=["park"])
    quiet = make_dialog(dialog_index, "Tyst", slug="tyst", show_contributions=False)
    draft = make_dialog(dialog_index, "Utkast", slug="utkast")
    draft.unpublish()
    make_contribution(shown, "Fler bänkar, tack.", status=PUBLISHED, name="Hemliga Hanna",
                      email="hanna@example.com", moderator_note="Intern anteckning", area="Norrby",
                      reply="Vi ställer ut fem bänkar.", reply_signature="Parkförvaltningen",
                      replied_at=timezone.now())
    make_contribution(shown, "Väntar på moderering")
    make_contribution(shown, "Avvisad", status=ContributionStatus.REJECTED)
    make_contribution(quiet, "Syns inte", status=PUBLISHED)
    return {"shown": shown, "quiet": quiet, "draft": draft}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    if status == 200:
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.json()
    return None


def test_the_dialogs_as_json_live_and_public_only(client, dialog_index, world):
    data = get_json(client, f"{dialog_index.url}api/dialogs/")
    assert data["count"] == 2 and data["next"] is None
    by_title = {dialog["title"]: dialog for dialog in data["results"]}
    assert set(by_title) == {"Torget", "Tyst"}
    torget = by_title["Torget"]
    assert torget["published_contributions"] == 1 and torget["tags"] == ["park"]
    assert torget["url"].endswith(world["shown"].url) and torget["status"] == "open"
    assert torget["contributions_url"].endswith(f"api/dialogs/{world['shown'].pk}/contributions/")
    assert by_title["Tyst"]["published_contributions"] is None and by_title["Tyst"]["contributions_url"] is None


def test_published_contributions_without_personal_data(client, dialog_index, world):
    response = client.get(f"{dialog_index.url}api/dialogs/{world['shown'].pk}/contributions/")
    text = response.content.decode()
    data = json.loads(text)
    assert [item["text"] for item in data["results"]] == ["Fler bänkar, tack."]
    item = data["results"][0]
    assert set(item) == {"reference", "text", "submitted_at", "channel", "reply", "replied_at", "reply_signature"}
    assert item["reply"] == "Vi ställer ut fem bänkar."
    for personal in PERSONAL:
        assert personal not in text
    for hidden in ("Väntar på moderering", "Avvisad"):
        assert hidden not in text


def test_no_contributions_of_dialogs_that_do_not_show_them_or_are_not_live(client, dialog_index, world):
    for dialog in (world["quiet"], world["draft"]):
        get_json(client, f"{dialog_index.url}api/dialogs/{dialog.pk}/contributions/", status=404)
    get_json(client, f"{dialog_index.url}api/dialogs/999999/contributions/", status=404)


def test_pages_of_results(client, dialog_index, world, monkeypatch):
    monkeypatch.setattr(open_data, "PAGE_SIZE", 1)
    first = get_json(client, f"{dialog_index.url}api/dialogs/")
    assert first["count"] == 2 and first["previous"] is None and first["next"].endswith("?page=2")
    second = get_json(client, f"{dialog_index.url}api/dialogs/?page=2")
    assert second["next"] is None and second["results"][0]["id"] != first["results"][0]["id"]
    get_json(client, f"{dialog_index.url}api/dialogs/?page=3", status=404)
    get_json(client, f"{dialog_index.url}api/dialogs/?page=x", status=404)


def test_the_atom_feed_has_new_dialogs_and_feedback(client, dialog_index, world):
    today = timezone.localdate()
    DialogPage.objects.filter(pk=world["shown"].pk).update(
        feedback_published_on=today, participation_effect="Bänkarna kom med i beslutet.",
        decided_on=today - datetime.timedelta(days=3),
    )
    response = client.get(f"{dialog_index.url}feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.findtext("a:title", namespaces=ns) for entry in root.findall("a:entry", ns)]
    assert "Återkoppling: Torget" in titles and "Ny dialog: Torget" in titles and "Ny dialog: Tyst" in titles
    assert not any("Utkast" in title for title in titles)
    assert "Bänkarna kom med i beslutet." in response.content.decode()


def test_a_private_index_keeps_its_data_private(client, dialog_index, world):
    PageViewRestriction.objects.create(page=dialog_index, restriction_type="password", password="hemligt")
    for path in ("api/dialogs/", "feed/", f"api/dialogs/{world['shown'].pk}/contributions/"):
        response = client.get(f"{dialog_index.url}{path}")
        assert response.status_code == 200 and b"hemligt" not in response.content
        assert b"Torget" not in response.content and b"password" in response.content.lower()


def test_posts_and_other_paths_are_not_open_data(client, dialog_index, world):
    assert client.post(f"{dialog_index.url}api/dialogs/").status_code == 404
    assert client.get(f"{dialog_index.url}api/").status_code == 404
    assert client.get(f"{dialog_index.url}api/dialogs/x/contributions/").status_code == 404


@pytest.mark.parametrize("slug", open_data.RESERVED_SLUGS)
def test_a_dialog_cannot_take_an_open_data_address(dialog_index, slug):
    dialog = DialogPage.objects.get(pk=make_dialog(dialog_index, "Torget").pk)
    dialog.slug = slug
    with pytest.raises(ValidationError) as error:
        dialog.full_clean()
    assert "slug" in error.value.message_dict


def test_a_decision_is_open_data_only_from_its_date_and_the_minutes_with_the_feedback(client, dialog_index, world):
    today = timezone.localdate()
    DialogPage.objects.filter(pk=world["shown"].pk).update(
        decided_on=today + datetime.timedelta(days=5), decision_summary="Hemligt beslut i förväg",
        minutes_url="https://example.invalid/protokoll.pdf",
    )
    text = client.get(f"{dialog_index.url}api/dialogs/").content.decode()
    assert "Hemligt beslut" not in text and "protokoll.pdf" not in text
    DialogPage.objects.filter(pk=world["shown"].pk).update(decided_on=today - datetime.timedelta(days=1))
    data = get_json(client, f"{dialog_index.url}api/dialogs/")
    torget = next(dialog for dialog in data["results"] if dialog["title"] == "Torget")
    assert torget["decision"] == "Hemligt beslut i förväg" and torget["minutes_url"] is None


def test_an_unpublished_index_has_no_open_data(client, dialog_index, world):
    dialog_index.unpublish()
    for path in ("api/dialogs/", "feed/"):
        assert client.get(f"{dialog_index.url}{path}").status_code == 404


def test_odd_digits_in_a_path_are_a_404_not_an_error(client, dialog_index, world):
    assert client.get(f"{dialog_index.url}api/dialogs/²/contributions/").status_code == 404
    assert client.get(f"{dialog_index.url}api/dialogs/?page=²").status_code == 404
