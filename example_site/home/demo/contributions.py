"""Fictional contributions for the demo dialogs, generated from a fixed seed.

A few hundred short Swedish contributions about the park in Norrby (so the
inbox, its filters and later the themes view have something real-looking to
work on), a handful about the travel centre, some published with an official
reply, some waiting for moderation, one rejected with a reason. Names are
invented first names; emails use the reserved .invalid domain.
"""

import datetime
import random

from wagtail_dialog.contributions import Channel, ContributionStatus, ModerationReason, Relation

PARK_WISHES = [
    "fler bänkar i skuggan",
    "en gungställning för de minsta",
    "ett utegym för vuxna",
    "belysning längs gångvägen",
    "en grillplats med bord",
    "en inhägnad hundrastgård",
    "vattenlek för varma dagar",
    "en basketkorg och en asfaltsplan",
    "träd som ger skugga",
    "en offentlig toalett",
    "cykelställ vid entrén",
    "gungor som fungerar för barn i rullstol",
    "ett staket mot bilvägen",
    "en klätterställning för större barn",
    "planteringar med blommor för bin",
    "en sandlåda med tak",
    "en pulkabacke på vintern",
    "papperskorgar som töms oftare",
]
PARK_REASONS = [
    "Vi har inget sådant i Norrby i dag.",
    "Barnen måste åka till centrum för att leka.",
    "Det är otryggt att gå där när det är mörkt.",
    "Då kan äldre och barn vara i parken samtidigt.",
    "Det skulle göra parken till en mötesplats för hela området.",
    "Många föräldrar sitter i parken medan barnen leker.",
    "Det blir väldigt varmt på sommaren.",
    "Skolan kan använda parken på rasterna.",
    "Jag har ett barn med funktionsnedsättning som inte kan använda lekplatser i dag.",
    "",
]
OPENINGS = ["Jag önskar", "Snälla bygg", "Det behövs", "Vi vill ha", "Viktigast för oss är", "Tänk på"]
NAMES = ["Anna", "Mehmet", "Sara", "Johan", "Fatima", "Erik", "Lina", "Ali", "Maja", "Olle", "", "", "", ""]
AREAS = ["Norrby", "Centrum", "Ekbacken", "Hamnen", "Landsbygden"]
REPLY = (
    "Tack för ditt förslag! Flera har önskat samma sak. Vi tar med det i sammanställningen som "
    "samhällsbyggnadsnämnden får inför beslutet."
)
TRAVEL_CENTRE = [
    "Det är för mörkt i gångtunneln under järnvägen på kvällen.",
    "Fler människor i rörelse gör det tryggare, till exempel ett kafé som har öppet sent.",
    "Cykelparkeringen behöver kameror eller bättre belysning, min cykel har stulits två gånger.",
    "Väntsalen borde vara öppen när de sista bussarna går.",
    "Ta bort buskarna vid parkeringen så att man ser hela vägen till perrongen.",
]


def park_contributions(count, today, seed=2026):
    rng = random.Random(seed)
    for n in range(count):
        wish = rng.choice(PARK_WISHES)
        text = f"{rng.choice(OPENINGS)} {wish}. {rng.choice(PARK_REASONS)}".strip()
        published = rng.random() < 0.7
        name = rng.choice(NAMES)
        yield {
            "text": text,
            "name": name,
            "email": f"{name.lower() or 'boende'}{n}@exempel.invalid" if rng.random() < 0.4 else "",
            "notify": False,
            "relation": rng.choice([Relation.LIVES, Relation.LIVES, Relation.WORKS, Relation.STUDIES, ""]),
            "area": rng.choice(AREAS) if rng.random() < 0.8 else "",
            "channel": Channel.WEB if rng.random() < 0.9 else rng.choice([Channel.LETTER, Channel.MEETING]),
            "status": ContributionStatus.PUBLISHED if published else ContributionStatus.PENDING,
            # From the opening day up to yesterday: a time later today would put the
            # demo's contributions ahead of one a visitor sends now.
            "submitted_at": _moment(today, rng.randint(1, 10), rng),
            "reply": REPLY if published and rng.random() < 0.1 else "",
            "reply_signature": "Samhällsbyggnadsförvaltningen" if published else "",
            "language": "sv",
            "consent_notice_version": "1",
        }
    yield {
        "text": "Köp billiga klockor på min webbplats!!!",
        "status": ContributionStatus.REJECTED,
        "moderation_reason": ModerationReason.ADVERTISING,
        "submitted_at": _moment(today, 3, rng),
        "language": "sv",
        "consent_notice_version": "1",
    }


def travel_centre_contributions(today):
    rng = random.Random(7)
    for n, text in enumerate(TRAVEL_CENTRE):
        yield {
            "text": text,
            "name": NAMES[n],
            "area": "Centrum",
            "relation": Relation.LIVES,
            # The first three asked to be told what comes of it: publishing the
            # dialog's feedback in the demo emails them (to the console).
            "email": f"{NAMES[n].lower() or 'boende'}.resecentrum@exempel.invalid" if n < 3 else "",
            "notify": n < 3,
            "status": ContributionStatus.PUBLISHED,
            "submitted_at": _moment(today, 15 + n, rng),
            "language": "sv",
            "consent_notice_version": "1",
        }


def _moment(today, days_ago, rng):
    day = today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=datetime.timezone.utc
    )
