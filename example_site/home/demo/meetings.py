"""Demo meetings below the travel centre dialogue (Dialog), the ways it names
itself: "Tre dialogcaféer i väntsalen på resecentrum, ett av dem på kvällen"
and "En kvällsvandring i området med boende, unga och förtroendevalda".

The morning café is full, with a waiting list; the evening café has one seat
left, so that signing up, cancelling and the waiting list can be tried in a
few steps; the walk took place three weeks ago and has its report, and the
views raised on it are among the dialogue's contributions (channel "meeting").
The people signed up are fictional, their addresses at exempel.invalid.
"""

import datetime
import secrets
import zoneinfo

from django.utils import timezone

from wagtail_dialog.contributions import Channel, ContributionStatus, Relation
from wagtail_dialog.methods.meetings.facts import Fact, MeetingKind
from wagtail_dialog.methods.meetings.pages import MeetingPage
from wagtail_dialog.methods.meetings.seats import Registration, RegistrationState

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PEOPLE = ["Karin", "Hassan", "Elsa", "Nils", "Amina", "Per", "Ida", "Omar", "Greta", "Yusuf", "Lisa", "Arvid",
          "Noor", "Stig", "Hanna", "Emil", "Leila", "Bo", "Alva", "Kim", "Rut", "Ahmed", "Vera"]
DIRECTIONS = ("Väntsalen ligger i stationshuset, med ingång från Stationsplan. Bussar 1, 3 och 7 stannar vid "
              "resecentrum; tågen från båda hållen. Cykelparkering och fem parkeringsplatser för rörelsehindrade "
              "finns vid entrén.")
WALK_VIEWS = [
    "Vid trygghetsvandringen: belysningen vid cykelparkeringen räcker inte, man ser inte ansikten på kvällen.",
    "Vid trygghetsvandringen: gångtunnelns ramp är för brant för rullstol när det är halt.",
    "Vid trygghetsvandringen: de unga vill ha någonstans att vara inomhus när väntsalen stänger.",
    "Vid trygghetsvandringen: buskarna längs gångvägen mot parkeringen skymmer sikten.",
]


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=STOCKHOLM)


def _common():
    return {
        "venue_name": "Väntsalen, resecentrum",
        "address": "Stationsplan 1, Exempelby",
        "directions": DIRECTIONS,
        "languages": "svenska; tolk till arabiska och somaliska finns på plats",
        "step_free": Fact.YES,
        "hearing_loop": Fact.NO,
        "accessible_toilet": Fact.YES,
        "childcare": Fact.NO,
    }


def _register(meeting, people, state, when, start=0, **extra):
    for n, name in enumerate(people, start=start):
        Registration.objects.create(
            meeting=meeting, name=f"{name} Exempelsson", email=f"{name.lower()}.{meeting.slug}@exempel.invalid",
            people=1, state=state, created_at=when + datetime.timedelta(minutes=n * 7),
            queued_at=when + datetime.timedelta(minutes=n * 7), language="sv", key=secrets.token_urlsafe(24),
            confirmed_at=when if state == RegistrationState.CONFIRMED else None, **extra)


def travel_centre_meetings(dialog, publish, today):
    """The two dialogue cafés to come and the walk that has been, published below ``dialog``."""
    now = timezone.now()
    morning = publish(dialog, MeetingPage(
        title="Dialogcafé i väntsalen – morgon",
        slug="dialogcafe-morgon",
        kind=MeetingKind.DIALOGUE_CAFE,
        summary="Fika och samtal om tryggheten vid resecentrum innan tåget går.",
        intro=("Kom förbi en stund före jobbet eller skolan. Vi pratar i små grupper om vad som gör resecentrum "
               "otryggt och vad som skulle göra skillnad. Ledamöter ur kommunstyrelsens arbetsutskott är med."),
        starts_at=_at(today + datetime.timedelta(days=5), 7, 0),
        ends_at=_at(today + datetime.timedelta(days=5), 8, 30),
        capacity=10,
        interpretation_by=today + datetime.timedelta(days=2),
        **_common(),
    ))
    _register(morning, PEOPLE[:10], RegistrationState.CONFIRMED, now - datetime.timedelta(days=6))
    _register(morning, PEOPLE[10:13], RegistrationState.WAITING, now - datetime.timedelta(days=2), start=10)
    evening = publish(dialog, MeetingPage(
        title="Dialogcafé i väntsalen – kväll",
        slug="dialogcafe-kvall",
        kind=MeetingKind.DIALOGUE_CAFE,
        summary="Samtal om hur resecentrum känns på kvällen, när de sista bussarna går.",
        intro=("Hur känns det att vänta på bussen här en vinterkväll? Vi pratar i små grupper och går sedan ut "
               "en kort runda tillsammans. Kaffe och smörgås finns."),
        starts_at=_at(today + datetime.timedelta(days=8), 18, 30),
        ends_at=_at(today + datetime.timedelta(days=8), 20, 30),
        capacity=12,
        **_common(),
    ))
    _register(evening, PEOPLE[:11], RegistrationState.CONFIRMED, now - datetime.timedelta(days=4))
    walk_day = today - datetime.timedelta(days=20)
    walk = publish(dialog, MeetingPage(
        title="Trygghetsvandring kring resecentrum",
        slug="trygghetsvandring",
        kind=MeetingKind.WALK,
        summary="En kvällsvandring i området med boende, unga och förtroendevalda.",
        intro=("Vi går tillsammans genom gångtunneln, förbi cykelparkeringen och längs gångvägen mot "
               "parkeringen, och stannar där det känns otryggt."),
        starts_at=_at(walk_day, 19, 0),
        ends_at=_at(walk_day, 20, 30),
        capacity=30,
        **{**_common(), "venue_name": "Samling vid entrén till resecentrum", "accessible_toilet": Fact.UNKNOWN,
           "directions": "Bussar 1, 3 och 7 stannar vid resecentrum. Vandringen går på asfalt, utan trappor, och "
                         "tar en timme med stopp."},
        report_summary=(
            "Vi gick i en timme och stannade på sex platser. Det som kom upp mest var belysningen vid "
            "cykelparkeringen och i gångtunneln, sikten längs gångvägen mot parkeringen och att unga saknar en "
            "plats inomhus när väntsalen stänger. Synpunkterna finns bland dialogens bidrag och tas med i "
            "sammanställningen till kommunstyrelsen."),
        attendance=23,
    ))
    _register(walk, PEOPLE[:18], RegistrationState.CONFIRMED, now - datetime.timedelta(days=30), attended=True)
    return [morning, evening, walk]


def travel_centre_walk_views(today):
    """The views raised on the walk, typed in as contributions with the channel "meeting"."""
    walk_day = today - datetime.timedelta(days=20)
    for n, text in enumerate(WALK_VIEWS):
        yield {
            "text": text,
            "area": "Centrum",
            "relation": Relation.LIVES,
            "channel": Channel.MEETING,
            "status": ContributionStatus.PUBLISHED,
            "submitted_at": _at(walk_day, 21, n),
            "language": "sv",
        }
