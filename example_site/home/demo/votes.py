"""Demo votes at the top step of the ladder, the methods the policies name for it (Alingsås:
"Rådslag med omröstning, medborgarbudget"):

* the rural participatory budget as a process: residents' ideas with a cost and a place, each
  assessed by the municipality (feasible with its cost estimate, or not with a public reason), and
  the feasible ones made options of two votes, one per half of the countryside. The northern vote
  has closed: its count is final, the funded projects are shown with how far each has come. The
  southern vote is open during the dialogue's last two weeks. One ballot per code: codes posted to
  households and handed out at the library, ballots already cast on the web and on paper (typed in
  by staff, with a code or checked in person at the library's table);
* the new school's name, chosen among three by pupils and guardians with codes handed out in class.

A few codes of each open vote are printed when the demo is built (``DEMO_CODES``), to try voting with.
"""

import datetime
import random

from wagtail_dialog.contributions import Channel, Contribution, ContributionStatus, Feasibility, ideas
from wagtail_dialog.methods.votes import ballots, codes, secrecy
from wagtail_dialog.methods.votes.kinds import Credential, Implementation, Proof, VoteMethod
from wagtail_dialog.methods.votes.pages import VoteOption, VotePage

#: Codes of each vote left unused, for whoever tries the demo.
DEMO_CODES = 5

#: The residents' ideas that became options: (title, description, the municipality's cost, place,
#: the author's own estimate).
NORTH_PROPOSALS = [
    ("Belysning längs gångvägen till skolan i Hemsjö",
     "Tolv stolpar med LED-belysning på den mörka sträckan mellan busshållplatsen och skolan.", 220_000, "Hemsjö",
     150_000),
    ("Ny lekplats vid bygdegården i Bjärke",
     "Gungor, klätterställning och sandlåda för de minsta, med bänkar för vuxna.", 210_000, "Bjärke", 250_000),
    ("Upprustat elljusspår i Sollebrunn",
     "Ny belysning och grus på de två kilometer som är i sämst skick.", 180_000, "Sollebrunn", None),
    ("Hjärtstartare i fem byar",
     "En hjärtstartare i varje bygdegård, med utbildning för byalagen.", 90_000, "Fem byar", 60_000),
]
SOUTH_PROPOSALS = [
    ("Badbrygga och omklädningsrum vid Ödenäs badplats",
     "En brygga som går att nå med rullstol och ett enkelt omklädningsrum.", 260_000, "Ödenäs", 200_000),
    ("Cykelställ med tak vid busshållplatserna",
     "Tak och ramlåsbara ställ vid de sex mest använda hållplatserna på södra landsbygden.", 120_000,
     "Södra landsbygden", None),
    ("Utegym vid idrottsplatsen i Ödenäs",
     "Enkla redskap för styrka och balans, för alla åldrar.", 140_000, "Ödenäs", 100_000),
    ("Vindskydd och grillplats vid sjön i Västra Bodarna",
     "Ett vindskydd med grillplats och ved, för skolklasser och alla andra.", 95_000, "Västra Bodarna", 50_000),
]
#: Ideas the municipality may not pay for: (text, place, the author's estimate, the public reason).
NOT_FEASIBLE = [
    ("Asfaltera grusvägen mellan Bjärke och Hemsjö\n\nDammet är jobbigt på sommaren.", "Bjärke", 900_000,
     "Vägen är en enskild väg som vägföreningen ansvarar för. Kommunen får inte använda pengarna till den, "
     "men vi har skickat förslaget vidare till vägföreningen."),
    ("Fler bussturer till Sollebrunn på kvällarna\n\nSista bussen går för tidigt.", "Sollebrunn", None,
     "Busstrafiken beslutas av regionen, inte av kommunen. Vi har skickat förslaget vidare till regionens "
     "kollektivtrafik."),
]
#: An idea that came in last and waits for the municipality's assessment (seen by moderators only).
WAITING = ("Hundrastgård i Hemsjö\n\nEn inhägnad plats där hundarna kan springa lösa.", "Hemsjö", 40_000)

#: (proposals chosen, channel, proof, how many): the ballots cast in each round.
NORTH_BALLOTS = [
    ((0, 3), Channel.WEB, Proof.CODE, 41),
    ((0, 2, 3), Channel.WEB, Proof.CODE, 33),
    ((1, 3), Channel.WEB, Proof.CODE, 22),
    ((1, 2), Channel.WEB, Proof.CODE, 12),
    ((0, 3), Channel.PAPER, Proof.CODE, 9),
    ((1, 2, 3), Channel.PAPER, Proof.IN_PERSON, 8),
    ((0, 2), Channel.PAPER, Proof.IN_PERSON, 6),
]
#: How far each funded northern project has come, by its place in NORTH_PROPOSALS.
NORTH_IMPLEMENTATION = {0: Implementation.STARTED, 2: Implementation.PLANNED, 3: Implementation.DONE}
SOUTH_BALLOTS = [
    ((0, 2), Channel.WEB, Proof.CODE, 24),
    ((1, 2, 3), Channel.WEB, Proof.CODE, 19),
    ((0, 3), Channel.WEB, Proof.CODE, 13),
    ((0, 1), Channel.PAPER, Proof.CODE, 7),
    ((1, 2, 3), Channel.PAPER, Proof.IN_PERSON, 5),
]
SCHOOL_NAMES = [
    ("Ekhagsskolan", "Efter ekarna på skolgården, som är äldre än byn.", None, ""),
    ("Norrbyskolan", "Efter stadsdelen, så att alla vet var skolan ligger.", None, ""),
    ("Solgläntans skola", "Efter gläntan bakom idrottshallen där eleverna har rast.", None, ""),
]
SCHOOL_BALLOTS = [((0,), Channel.WEB, Proof.CODE, 41), ((1,), Channel.WEB, Proof.CODE, 23),
                  ((2,), Channel.WEB, Proof.CODE, 35)]


def _vote(dialog, publish, fields, proposals, ideas_sent=None):
    vote = VotePage(**fields)
    for order, (title, description, cost, place, *_) in enumerate(proposals):
        idea = (ideas_sent or {}).get(title)
        vote.options.add(VoteOption(title=title, description=description, cost=cost, place=place,
                                    ideas=idea.reference if idea else "", sort_order=order))
    return publish(dialog, vote)


def _cast(vote, spec, plain):
    """Cast the ballots of ``spec``, each with a code of its own from ``plain`` where it has one."""
    options = list(vote.options.order_by("sort_order"))
    unused = iter(plain)
    for chosen, channel, proof, times in spec:
        for _ in range(times):
            credential = secrecy.code_credential(next(unused)) if proof == Proof.CODE else None
            ballots.cast(vote, [options[n] for n in chosen], credential=credential, channel=channel, proof=proof)
    return list(unused)


def _sent(dialog, text, place, estimate, when, status=ContributionStatus.PUBLISHED):
    return Contribution.objects.create(
        dialog=dialog, text=text, place=place, estimated_cost=estimate, status=status, submitted_at=when,
        language="sv", consent_notice_version="1")


def rural_ideas(dialog, today):
    """The residents' ideas for the rural budget, assessed; {title: idea} of those that became options."""
    rng = random.Random(11)

    def moment(days_ago):
        day = today - datetime.timedelta(days=days_ago)
        return datetime.datetime.combine(day, datetime.time(rng.randint(7, 21), rng.randint(0, 59)),
                                         tzinfo=datetime.timezone.utc)

    feasible = {}
    for days_ago, (title, description, cost, place, estimate) in zip(
            (45, 44, 43, 42, 36, 33, 29, 26), NORTH_PROPOSALS + SOUTH_PROPOSALS):
        idea = _sent(dialog, f"{title}\n\n{description}", place, estimate, moment(days_ago))
        ideas.assess(idea, None, Feasibility.FEASIBLE, "", cost)
        feasible[title] = idea
    for days_ago, (text, place, estimate, reason) in zip((44, 31), NOT_FEASIBLE):
        ideas.assess(_sent(dialog, text, place, estimate, moment(days_ago)), None, Feasibility.NOT_FEASIBLE, reason)
    text, place, estimate = WAITING
    _sent(dialog, text, place, estimate, moment(5), status=ContributionStatus.PENDING)
    return feasible


def rural_budget_votes(dialog, publish, today):
    """The participatory budget's two votes: [(vote, unused codes to try)], the closed one first."""
    sent = rural_ideas(dialog, today)
    common = {
        "method": VoteMethod.BUDGET,
        "budget": 500_000,
        "minimum_share": 50,
        "credential": Credential.CODE,
        "binding": ("Kommunfullmäktige har beslutat att genomföra de förslag som får flest röster, inom ramen på "
                    "en miljon kronor: hälften till norra och hälften till södra landsbygden."),
        "eligibility": "Du bor, vistas eller verkar i kommunen.",
        "minimum_age": 13,
    }
    north = _vote(dialog, publish, {
        **common,
        "title": "Rösta om förslagen för norra landsbygden",
        "slug": "rosta-norra",
        "summary": "Omröstningen är klar: se vilka förslag som fick pengar och hur långt de har kommit.",
        "intro": ("Förslagen har kommit från invånarna och prövats av förvaltningen: alla går att genomföra och "
                  "kostnaderna är förvaltningens beräkningar. 500 000 kronor fördelades mellan förslagen."),
        "opens_on": today - datetime.timedelta(days=40),
        "closes_on": today - datetime.timedelta(days=20),
    }, NORTH_PROPOSALS, sent)
    _, posted = codes.make_batch(north, "Skickade till hushållen i Hemsjö och Bjärke", 150)
    _, library = codes.make_batch(north, "Biblioteket i Sollebrunn", 40)
    random.Random(5).shuffle(posted)
    _cast(north, NORTH_BALLOTS, posted + library)
    ballots.finish_count(north)
    options = list(north.options.order_by("sort_order"))
    for position, implementation in NORTH_IMPLEMENTATION.items():
        options[position].implementation = implementation
        options[position].save(update_fields=["implementation"])

    south = _vote(dialog, publish, {
        **common,
        "title": "Rösta om förslagen för södra landsbygden",
        "slug": "rosta",
        "summary": "Fördela 500 000 kronor mellan förslagen som invånarna på södra landsbygden har lämnat.",
        "intro": ("Förslagen har kommit från invånarna och prövats av förvaltningen: alla går att genomföra och "
                  "kostnaderna är förvaltningens beräkningar. Välj de förslag du vill ge pengar, så långt "
                  "pengarna räcker."),
        "opens_on": dialog.closes_on - datetime.timedelta(days=13),
    }, SOUTH_PROPOSALS, sent)
    _, posted = codes.make_batch(south, "Skickade till hushållen i Ödenäs och Västra Bodarna", 150)
    _, library = codes.make_batch(south, "Biblioteket i Ödenäs", 40)
    random.Random(7).shuffle(posted)
    left = _cast(south, SOUTH_BALLOTS, posted + library)
    return [(north, []), (south, left[:DEMO_CODES])]


def school_name_vote(dialog, publish, today):
    """The new school's name, one option among three."""
    vote = _vote(dialog, publish, {
        "title": "Rösta på skolans namn",
        "slug": "rosta",
        "summary": "Välj ett av de tre namnen som elevrådet har valt ut.",
        "method": VoteMethod.ONE,
        "credential": Credential.CODE,
        "binding": "Barn- och utbildningsnämnden ger skolan det namn som får flest röster.",
        "eligibility": "Du går på skolan, eller är vårdnadshavare till någon som gör det.",
    }, SCHOOL_NAMES)
    _, plain = codes.make_batch(vote, "Utdelade i klasserna", 300)
    left = _cast(vote, SCHOOL_BALLOTS, plain)
    return vote, left[:DEMO_CODES]
