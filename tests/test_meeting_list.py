"""The list of upcoming meetings below a dialog index (``meetings/``): every
live meeting a resident can still come to, soonest first, with its dialogue,
its accessibility in words and the seats left; its calendar feed; the same for
everyone, at a cost that does not grow with the list."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from icalendar import Calendar

from tests import frontend_cache
from tests.factories import make_dialog, make_index, make_meeting
from wagtail_dialog.methods.meetings import seats, views
from wagtail_dialog.methods.meetings.seats import MeetingState, Registration, RegistrationState

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text_of(node):
    return " ".join(node.get_text(" ", strip=True).split())


def items(response):
    """The upcoming meetings listed, as (title, text) in the order shown."""
    return [(text_of(item.select_one("h2")), text_of(item))
            for item in soup(response).select("ol.wd-meeting-list > li")]


def fill(meeting, people):
    Registration.objects.create(meeting=meeting, state=RegistrationState.CONFIRMED, people=people,
                                name="Anna", email="anna@example.se")


def test_upcoming_meetings_are_listed_soonest_first_with_their_dialogue_and_the_seats_left(client, dialog_index,
                                                                                             dialog):
    later = make_meeting(dialog, "Workshop om lekplatsen", "workshop", starts_in=10 * DAY, kind="workshop",
                         capacity=2)
    sooner = make_meeting(dialog, "Dialogcafé om parken", "cafe", starts_in=3 * DAY, capacity=5, step_free="yes",
                          hearing_loop="no", interpretation_by=timezone.localdate() + DAY)
    make_meeting(dialog, "Öppet hus", "oppet-hus", starts_in=5 * DAY, kind="open_house")
    other = make_dialog(dialog_index, "Skolan", slug="skolan")
    make_meeting(other, "Vandring runt skolan", "vandring", starts_in=7 * DAY, kind="walk", capacity=20,
                 sign_up="elsewhere", sign_up_link="https://example.se/anmalan")
    fill(later, 2)
    fill(sooner, 1)

    response = client.get(dialog_index.url + "meetings/")

    assert response.status_code == 200 and "public" in response["Cache-Control"]
    listed = items(response)
    assert [title for title, _text in listed] == [
        "Dialogcafé om parken", "Öppet hus", "Vandring runt skolan", "Workshop om lekplatsen"]
    cafe, open_house, walk, workshop = (text for _title, text in listed)
    assert "4 platser kvar." in cafe and "I dialogen Torget" in cafe and "Biblioteket, Storgatan 1, Exempelby" in cafe
    assert "Entré utan trappsteg: ja" in cafe and "Hörslinga: nej" in cafe and "Tillgänglig toalett: vet ej" in cafe
    assert "Tolkning: om du ber om det senast" in cafe and "Tolkning: erbjuds inte" in workshop
    assert "Fullt – skriv upp dig på väntelistan." in workshop
    # No limit, or sign-up elsewhere: nothing said of seats.
    assert "plats" not in open_house.replace("På plats", "").replace("på plats", "") and "kvar" not in walk
    assert "I dialogen Skolan" in walk
    page = soup(response)
    dialog_link = page.select("ol.wd-meeting-list > li")[0].find("a", string="Torget")
    assert dialog_link["href"] == dialog.url
    assert page.select_one("h2 a")["href"] == sooner.url
    assert not page.select("script") and page.select_one("html")["lang"] == "sv"


def test_only_live_upcoming_meetings_of_live_dialogues_below_this_index(client, dialog_index, dialog):
    make_meeting(dialog, "Kommande", "kommande")
    make_meeting(dialog, "Redan hållet", "hallet", starts_in=-3 * DAY)
    make_meeting(dialog, "Utkast", "utkast").unpublish()
    hidden = make_dialog(dialog_index, "Opublicerad", slug="opublicerad")
    make_meeting(hidden, "Under opublicerad dialog", "under")
    hidden.unpublish()
    elsewhere = make_dialog(make_index(title="Andra", slug="andra"), "Annan", slug="annan")
    make_meeting(elsewhere, "Under ett annat index", "annat")
    going_on = make_meeting(dialog, "Pågår nu", "pagar", starts_at=timezone.now() - datetime.timedelta(hours=1),
                            capacity=5)

    listed = items(client.get(dialog_index.url + "meetings/"))

    assert [title for title, _text in listed] == ["Pågår nu", "Kommande"]
    # Too late to sign up once it has started: no seats said.
    assert "kvar" not in listed[0][1] and going_on.capacity == 5


def test_the_meetings_of_a_dialogue_behind_a_password_are_not_listed(client, dialog_index, dialog):
    from wagtail.models import PageViewRestriction

    make_meeting(dialog, "Öppet", "oppet")
    private = make_dialog(dialog_index, "Privat", slug="privat")
    make_meeting(private, "Bakom lösenord", "bakom")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    assert [title for title, _text in items(client.get(dialog_index.url + "meetings/"))] == ["Öppet"]


def test_a_cancelled_meeting_stays_in_the_list_and_says_so(client, dialog_index, dialog):
    make_meeting(dialog, "Inställt café", "installt", cancelled=True, capacity=10)

    ((_title, text),) = items(client.get(dialog_index.url + "meetings/"))

    assert "Mötet är inställt." in text and "kvar" not in text


def test_past_meetings_show_their_report_below_the_upcoming_ones(client, dialog_index, dialog):
    make_meeting(dialog, "Hållet café", "hallet", starts_in=-10 * DAY, report_summary="Vi pratade om bänkar.",
                 attendance=23)
    make_meeting(dialog, "Utan rapport", "utan", starts_in=-5 * DAY)

    response = client.get(dialog_index.url + "meetings/")

    held = soup(response).select_one("[aria-labelledby=wd-reported-heading]")
    assert "Hållet café" in text_of(held) and "23 personer deltog." in text_of(held)
    assert "Vi pratade om bänkar." in text_of(held) and "Utan rapport" not in response.content.decode()
    assert "Just nu finns inga planerade möten." in text_of(soup(response))


def test_the_list_costs_the_same_queries_with_2_and_with_10_meetings(client, dialog_index, django_assert_num_queries):
    dialogs = [make_dialog(dialog_index, f"Dialog {n}", slug=f"dialog-{n}") for n in range(5)]
    for number, dialog in enumerate(dialogs[:2]):
        fill(make_meeting(dialog, f"Möte {number}", f"mote-{number}", starts_in=(number + 1) * DAY, capacity=3), 1)
    url = dialog_index.url + "meetings/"
    client.get(url)  # the site's root paths into the cache, as on a running site
    with CaptureQueriesContext(connection) as few:
        assert len(items(client.get(url))) == 2

    for number in range(2, 10):
        dialog = dialogs[number % 5]
        meeting = make_meeting(dialog, f"Möte {number}", f"mote-{number}", starts_in=(number + 1) * DAY,
                               capacity=3, report_summary="")
        fill(meeting, number % 4)
    make_meeting(dialogs[0], "Hållet", "hallet", starts_in=-3 * DAY, report_summary="Rapport.")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(items(response)) == 10 and response.content.decode().count("Fullt –") == 2


def test_a_long_list_is_paginated(client, dialog_index, dialog, settings):
    settings.WAGTAIL_DIALOG_INDEX_PER_PAGE = 2
    for number in range(5):
        make_meeting(dialog, f"Möte {number}", f"mote-{number}", starts_in=(number + 1) * DAY)

    first = client.get(dialog_index.url + "meetings/")
    last = client.get(dialog_index.url + "meetings/?page=3")

    assert [title for title, _text in items(first)] == ["Möte 0", "Möte 1"]
    assert [title for title, _text in items(last)] == ["Möte 4"]
    assert soup(first).select_one("nav.wd-pagination a[rel=next]")["href"] == "?page=2"
    assert client.get(dialog_index.url + "meetings/?page=x").status_code == 200


def test_the_index_links_to_the_list_only_when_a_meeting_is_coming(client, dialog_index, dialog):
    def link():
        return soup(client.get(dialog_index.url)).select_one(".wd-meetings-link a")

    assert link() is None
    make_meeting(dialog, "Redan hållet", "hallet", starts_in=-3 * DAY)
    assert link() is None
    make_meeting(dialog)
    assert link()["href"] == dialog_index.url + "meetings/"


def test_the_calendar_feed_has_every_upcoming_meeting_with_the_swedish_time_zone(client, dialog_index, dialog):
    cafe = make_meeting(dialog, "Dialogcafé om parken", "cafe", starts_in=3 * DAY)
    online = make_meeting(dialog, "Digitalt möte", "digitalt", starts_in=4 * DAY, meeting_format="online",
                          online_link="https://meet.example.se/hemligt", online_link_registered_only=True)
    make_meeting(dialog, "Redan hållet", "hallet", starts_in=-3 * DAY)
    MeetingState.objects.create(meeting=cafe, sequence=2)

    response = client.get(dialog_index.url + "meetings/calendar/")

    assert response["Content-Type"].startswith("text/calendar") and "public" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Möten: Medborgardialoger"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Dialogcafé om parken", "Digitalt möte"}
    start = events["Dialogcafé om parken"].decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Stockholm" and start == cafe.starts_at
    assert events["Dialogcafé om parken"]["sequence"] == 2 and events["Digitalt möte"]["sequence"] == 0
    assert "hemligt" not in response.content.decode()
    # The same UID as the meeting's own calendar file: a calendar updates the event it already has.
    (own,) = Calendar.from_ical(client.get(online.url + "calendar/").content).walk("VEVENT")
    assert events["Digitalt möte"]["uid"] == own["uid"]


def test_posts_and_other_paths_below_meetings_are_not_the_list(client, dialog_index, dialog):
    make_meeting(dialog)
    assert client.post(dialog_index.url + "meetings/").status_code == 404
    assert client.get(dialog_index.url + "meetings/other/").status_code == 404


def test_an_unpublished_index_has_no_list(client, dialog_index, dialog):
    make_meeting(dialog)
    dialog_index.unpublish()
    assert client.get(dialog_index.url + "meetings/").status_code == 404
    assert client.get(dialog_index.url + "meetings/calendar/").status_code == 404


def test_a_dialog_cannot_take_the_address_of_the_list(dialog_index):
    dialog = make_dialog(dialog_index, "Möten", slug="moten")
    dialog.slug = "meetings"
    with pytest.raises(ValidationError) as refused:
        dialog.full_clean()
    assert "slug" in refused.value.message_dict


def test_the_index_names_the_list_and_its_feed_for_a_shared_cache(dialog_index, dialog):
    make_meeting(dialog)
    paths = dialog_index.get_cached_paths()
    assert "/meetings/" in paths and "/meetings/calendar/" in paths


def test_a_sign_up_purges_the_meeting_the_list_and_the_open_data(dialog_index, dialog,
                                                                  django_capture_on_commit_callbacks):
    meeting = make_meeting(dialog, capacity=3)
    frontend_cache.PURGED.clear()
    with override_settings(WAGTAILFRONTENDCACHE={"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            seats.sign_up(meeting, confirmed=True, name="Anna", email="anna@example.se")
            views.seats_changed(meeting)
    (urls,) = frontend_cache.PURGED
    frontend_cache.PURGED.clear()
    index_url = "http://localhost" + dialog_index.url
    assert {"http://localhost" + meeting.url, index_url + "meetings/", index_url + "api/dialogs/"} <= set(urls)
