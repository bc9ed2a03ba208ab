"""Demo votes at the top step of the ladder, the methods the policies name for it (Alingsås:
"Rådslag med omröstning, medborgarbudget"):

* the rural participatory budget's vote on the proposals, open during the dialogue's last two
  weeks, one ballot per code: codes posted to the households of two villages and handed out at the
  library, ballots already cast on the web and on paper (typed in by staff, with a code or checked
  in person at the library's table);
* the new school's name, chosen among three by pupils and guardians with codes handed out in class.

A few codes of each vote are printed when the demo is built (``DEMO_CODES``), to try voting with.
"""

import datetime
import random

from wagtail_dialog.contributions import Channel
from wagtail_dialog.methods.votes import ballots, codes, secrecy
from wagtail_dialog.methods.votes.kinds import Credential, Proof, VoteMethod
from wagtail_dialog.methods.votes.pages import VoteOption, VotePage

#: Codes of each vote left unused, for whoever tries the demo.
DEMO_CODES = 5

RURAL_PROPOSALS = [
    ("Belysning längs gångvägen till skolan i Hemsjö",
     "Tolv stolpar med LED-belysning på den mörka sträckan mellan busshållplatsen och skolan.", 420_000, "Hemsjö"),
    ("Ny lekplats vid bygdegården i Bjärke",
     "Gungor, klätterställning och sandlåda för de minsta, med bänkar för vuxna.", 310_000, "Bjärke"),
    ("Badbrygga och omklädningsrum vid Ödenäs badplats",
     "En brygga som går att nå med rullstol och ett enkelt omklädningsrum.", 260_000, "Ödenäs"),
    ("Upprustat elljusspår i Sollebrunn",
     "Ny belysning och grus på de två kilometer som är i sämst skick.", 180_000, "Sollebrunn"),
    ("Hjärtstartare i fem byar",
     "En hjärtstartare i varje bygdegård, med utbildning för byalagen.", 90_000, "Fem byar"),
    ("Cykelställ med tak vid busshållplatserna",
     "Tak och ramlåsbara ställ vid de sex mest använda hållplatserna på landsbygden.", 120_000, "Landsbygden"),
]
#: (proposals chosen, channel, proof, how many): the ballots already cast.
RURAL_BALLOTS = [
    ((0, 3), Channel.WEB, Proof.CODE, 38),
    ((1, 2, 4), Channel.WEB, Proof.CODE, 27),
    ((0, 1, 4), Channel.WEB, Proof.CODE, 19),
    ((2, 3, 5), Channel.WEB, Proof.CODE, 16),
    ((0, 5), Channel.PAPER, Proof.CODE, 11),
    ((1, 3, 4), Channel.PAPER, Proof.IN_PERSON, 9),
    ((0, 3, 4), Channel.PAPER, Proof.IN_PERSON, 6),
]
SCHOOL_NAMES = [
    ("Ekhagsskolan", "Efter ekarna på skolgården, som är äldre än byn.", None, ""),
    ("Norrbyskolan", "Efter stadsdelen, så att alla vet var skolan ligger.", None, ""),
    ("Solgläntans skola", "Efter gläntan bakom idrottshallen där eleverna har rast.", None, ""),
]
SCHOOL_BALLOTS = [((0,), Channel.WEB, Proof.CODE, 41), ((1,), Channel.WEB, Proof.CODE, 23),
                  ((2,), Channel.WEB, Proof.CODE, 35)]


def _vote(dialog, publish, fields, proposals):
    vote = VotePage(**fields)
    for order, (title, description, cost, place) in enumerate(proposals):
        vote.options.add(VoteOption(title=title, description=description, cost=cost, place=place,
                                    sort_order=order))
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


def rural_budget_vote(dialog, publish, today):
    """The participatory budget's vote, open during the dialogue's last two weeks."""
    vote = _vote(dialog, publish, {
        "title": "Rösta om förslagen",
        "slug": "rosta",
        "summary": "Fördela en miljon kronor mellan förslagen som invånarna har lämnat.",
        "intro": ("Förslagen har kommit från invånarna och prövats av förvaltningen: alla går att genomföra och "
                  "kostnaderna är förvaltningens beräkningar. Välj de förslag du vill ge pengar, så långt "
                  "miljonen räcker."),
        "method": VoteMethod.BUDGET,
        "budget": 1_000_000,
        "minimum_share": 50,
        "credential": Credential.CODE,
        "binding": ("Kommunfullmäktige har beslutat att genomföra de förslag som får flest röster, inom ramen på "
                    "en miljon kronor."),
        "eligibility": "Du bor, vistas eller verkar i kommunen.",
        "minimum_age": 13,
        "opens_on": dialog.closes_on - datetime.timedelta(days=13),
    }, RURAL_PROPOSALS)
    _, posted = codes.make_batch(vote, "Skickade till hushållen i Hemsjö och Bjärke", 200)
    _, library = codes.make_batch(vote, "Biblioteket i Sollebrunn", 60)
    random.Random(7).shuffle(posted)
    left = _cast(vote, RURAL_BALLOTS, posted + library)
    return vote, left[:DEMO_CODES]


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
