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
    assert set(item) == {"reference", "text", "submitted_at", "channel", "reply", "replied_at", "reply_signature",
                         "idea"}
    assert item["idea"] is None  # not an idea for a participatory budget
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


def test_a_meeting_in_the_ways_to_take_part_has_its_time_place_accessibility_seats_and_report(
        client, dialog_index, world):
    from tests.factories import make_meeting
    from wagtail_dialog.methods.meetings.seats import Registration

    starts_at = datetime.datetime(2030, 3, 5, 17, 0, tzinfo=datetime.UTC)
    cafe = make_meeting(world["shown"], starts_at=starts_at, capacity=10, step_free="yes", hearing_loop="no",
                        interpretation_by=datetime.date(2030, 2, 26), meeting_format="hybrid",
                        online_link="https://meet.example.se/hemligt", online_link_registered_only=True)
    Registration.objects.create(meeting=cafe, state="confirmed", people=3, name="Hemliga Hanna",
                                email="hanna@example.com")
    make_meeting(world["shown"], "Hållet", "hallet", starts_in=-datetime.timedelta(days=3), capacity=5,
                 report_summary="Vi pratade om bänkar.", attendance=23, sign_up="none")

    data = get_json(client, f"{dialog_index.url}api/dialogs/")

    torget = next(dialog for dialog in data["results"] if dialog["title"] == "Torget")
    meetings = {way["title"]: way for way in torget["ways_to_take_part"]}
    cafe_data, held = meetings["Dialogcafé om parken"], meetings["Hållet"]
    assert cafe_data["method"] == "meeting" and cafe_data["kind"] == "dialogue_cafe"
    assert cafe_data["format"] == "hybrid" and cafe_data["cancelled"] is False
    assert cafe_data["starts_at"] == "2030-03-05T18:00:00+01:00" and cafe_data["ends_at"] == "2030-03-05T20:00:00+01:00"
    assert cafe_data["place"] == {"venue": "Biblioteket", "address": "Storgatan 1, Exempelby"}
    assert cafe_data["accessibility"] == {"step_free": "yes", "hearing_loop": "no", "accessible_toilet": "unknown",
                                          "childcare": "no", "interpretation_by": "2030-02-26"}
    assert cafe_data["seats"] == {"capacity": 10, "seats_left": 7} and cafe_data["report"] is None
    assert cafe_data["online_url"] is None  # shown only to those signed up
    assert held["seats"] == {"capacity": 5, "seats_left": None}
    assert held["report"] == {"summary": "Vi pratade om bänkar.", "attendance": 23}
    content = json.dumps(data, ensure_ascii=False)
    assert "Hemliga Hanna" not in content and "hanna@example.com" not in content and "hemligt" not in content


def test_meetings_cost_no_query_per_dialog_in_the_open_data(client, dialog_index, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_meeting

    dialogs = [make_dialog(dialog_index, f"Dialog {number}", slug=f"dialog-{number}") for number in range(5)]
    make_meeting(dialogs[0], capacity=4)
    url = f"{dialog_index.url}api/dialogs/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for dialog in dialogs[1:]:
        make_meeting(dialog, capacity=4)
        make_meeting(dialog, "Andra mötet", "andra")
    with django_assert_num_queries(len(one.captured_queries)):
        data = client.get(url).json()
    assert sum(len(dialog["ways_to_take_part"]) for dialog in data["results"]) == 9
