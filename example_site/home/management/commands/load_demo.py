"""Demo content for Exempelkommun, a fictional municipality.

Running it (again) rebuilds the demo: the previous demo pages go, and new ones
are created with dates relative to today, so every dialog shows the status it
was written for (upcoming, open, closed, decided, feedback given) whenever the
demo runs. Decision bodies and the admin user are reused.

Policy texts are quoted word for word from real municipalities' documents (see
/work/shared/seeds/ in the project notes), each with its source; only the
dialogs are fictional. The superuser it creates (admin / exempelkommun) is for
a local demo only.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.search.index import insert_or_update_object
from wagtail.users.models import UserProfile

from home.demo_contributions import AREAS, park_contributions, travel_centre_contributions
from home.demo_evaluation import SELF_ASSESSMENT, SURVEY
from home.models import HomePage, PolicyPage
from wagtail_dialog.contributions import Contribution, ContributionStatus
from wagtail_dialog.followup.evaluation import EvaluationPrinciple, record_response, record_self_assessment
from wagtail_dialog.contributions.permissions import MODERATORS_GROUP
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings
from wagtail_dialog.dialogs.decision_bodies import DecisionBody, DecisionBodyKind
from wagtail_dialog.dialogs.types import DialogType
from wagtail_dialog.dialogs.gate import GateAnswer
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogIndexPage, DialogMethod, DialogPage, DialogScopeLimit, DialogTargetGroup
from wagtail_dialog.dialogs.publication import publication_problems
from wagtail_dialog.search.indexing import refresh_terms

SITE_NAME = "Exempelkommun"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "exempelkommun"  # local demo only, printed on purpose
MODERATOR_USERNAME = "moderator"

VARA = "Vara kommun, Riktlinje för medborgardialog (2022)"
ALINGSAS = "Alingsås kommun, Riktlinjer för medborgardialog"
TRELLEBORG = "Trelleborgs kommun, Principer för medborgardialog (KS 2017/455)"

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def sv_date(day):
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def paragraph(html):
    return {"type": "paragraph", "value": html}


# --- The policy page: every text below is a quotation, with its source. -----

WHAT_IS_IT = paragraph(
    "<h2>Vad är medborgardialog?</h2>"
    "<p>”En medborgardialog är ett strukturerat samtal om samhällsfrågor där medborgare, "
    "förtroendevalda och medarbetare i kommunorganisationen är delaktiga. Ett verktyg för det "
    "förtroendevalda att få insikt i hur medborgarna i kommunen tänker omkring olika frågor till "
    "exempel vid strategiska beslut. Medborgardialog är en del av beslutsunderlaget. Det "
    "slutgiltiga beslutet fattas alltid av de förtroendevalda.”</p>"
    "<p>”Medborgare syftar på de som bor i kommunen, men även de som vistas här, till exempel "
    "studenter, affärsidkare, arbetstagare och besökare”</p>"
    f"<p>Källa: {ALINGSAS}.</p>"
)

PRINCIPLES = {
    "type": "principles",
    "value": {
        "heading": "Fyra principer för medborgardialog",
        "intro": "”Vara kommun ska arbeta med medborgardialog utifrån fyra principer.”",
        "principles": [
            {
                "title": "Vi tar initiativ till medborgardialog och välkomnar engagemang",
                "text": (
                    "Medborgardialog ska alltid övervägas när det finns ett ärende som innebär en större "
                    "förändring som berör medborgarna i Vara kommun. För att medborgardialog ska genomföras "
                    "måste frågan vara lämplig för dialog och medborgarnas synpunkter vara värdefulla för "
                    "arbetet. Det är viktigt att det finns möjlighet för medborgarna att påverka den fråga som "
                    "diskuteras. Det är också viktigt att det finns utrymme för politikerna att beakta "
                    "medborgarnas åsikter och synpunkter som en del av beslutsunderlaget."
                ),
            },
            {
                "title": "Våra medborgardialoger ska vara tillgängliga för alla",
                "text": (
                    "Alla medborgare som är berörda av frågan ska ges möjlighet att delta i dialogen. "
                    "Kommunens medborgardialoger ska vara tillgängliga för alla. De ska genomföras med ett "
                    "mångfaldsperspektiv som utgår ifrån de sju diskrimineringsgrunderna; ålder, kön, "
                    "könsöverskridande identitet eller uttryck, sexuell läggning, etnisk tillhörighet, "
                    "religion eller annan trosuppfattning samt funktionsnedsättning. Vi ska även ta hänsyn "
                    "till om någon målgrupps perspektiv särskilt bör beaktas. Varje medborgardialog bygger på "
                    "en intressentanalys och syftet med dialogen bestämmer vilken form av delaktighet som "
                    "passar bäst."
                ),
            },
            {
                "title": "Vi tar ansvar för medborgardialogen",
                "text": (
                    "De förtroendevalda beslutar om medborgardialog ska genomföras och ett konkret syfte ska "
                    "bestämmas för varje medborgardialog. Resultatet av medborgardialogen ingår sedan som ett "
                    "underlag för det politiska avgörandet i frågan, och det slutgiltiga ansvaret och "
                    "beslutsfattandet ligger alltid hos de förtroendevalda i fullmäktige, nämnder, utskott och "
                    "styrelser. Det ska vara tydligt hur stort inflytande medborgarna kommer att kunna få och "
                    "hur resultat av dialogen ska användas."
                ),
            },
            {
                "title": "Vi återkopplar och utvärderar",
                "text": (
                    "Resultatet av medborgardialogen är en del av styrningen i de politiska besluten och det "
                    "ska alltid framgå på vilket sätt hänsyn tagits till resultatet inför beslut. Det är av "
                    "största vikt att resultatet av medborgardialogen alltid återkopplas till dem som deltagit "
                    "och övriga medborgare. Kommunens arbete med medborgardialoger ska utvärderas och "
                    "utvecklas fortlöpande."
                ),
            },
        ],
        "source": VARA,
    },
}

GATE = {
    "type": "gate_criteria",
    "value": {
        "heading": "Ska vi hålla en medborgardialog?",
        "intro": (
            "”Medborgardialog är de förtroendevaldas verktyg och ansvar. En grundförutsättning är att det "
            "finns ett genuint intresse från de förtroendevalda att lyssna och beakta medborgarnas input i en "
            "fråga. Är man redan klar över hur man vill besluta ska en dialog undvikas. Nedanstående frågor bör "
            "ställas och de kräver ett ja innan man beslutar om medborgardialog i en fråga. Om svaret är nej "
            "eller det finns tveksamheter, bör en dialog med medborgarna inte föras.”"
        ),
        "source": VARA,
    },
}

LADDER = {
    "type": "participation_ladder",
    "value": {
        "heading": "Delaktighetstrappan",
        "intro": (
            "”Delaktighetstrappan beskriver vilken grad av inflytande medborgarna kan få i en specifik fråga.” "
            "”Ingen delaktighetsform är bättre än någon annan, istället är det syfte, mål, målgrupp och "
            "tillgängliga resurser som tillsammans avgör valet av delaktighet och metod för dialogen.” "
            f"({VARA}.)\n\n"
            "Exempelkommun är påhittad och har inga egna exempel. Exemplen under varje steg är citerade "
            "ur Vara kommuns riktlinje."
        ),
        "highlight": "",
        "local_examples": [
            {
                "level": ParticipationLevel.INFORMATION.value,
                "example": "Information i tidningen ”Axet” är exempel på steget Information i Vara.",
            },
            {
                "level": ParticipationLevel.CONSULTATION.value,
                "example": "Insamling av synpunkter via ”Bättre Vara” är exempel på steget Konsultation i Vara.",
            },
            {
                "level": ParticipationLevel.DIALOGUE.value,
                "example": "Invånarträffarna är exempel på steget Dialog i Vara.",
            },
            {
                "level": ParticipationLevel.INFLUENCE.value,
                "example": "Delaktighet i ombyggnad av Drottninggatan är exempel på steget Inflytande i Vara.",
            },
            {
                "level": ParticipationLevel.CODETERMINATION.value,
                "example": "Tätortsvandringarna är exempel på steget medbestämmande i Vara.",
            },
        ],
        "source": (
            "SKR, Sveriges Kommuner och Regioner; exemplen från Vara kommun, Riktlinje för medborgardialog (2022)"
        ),
    },
}

# Alingsås' "Skiss av process, medborgardialog": three columns, Förtroendevalda
# (representatives), Gemensamt (joint) and Tjänstepersoner (officials). The
# column of each step is read from the sketch's layout; descriptions quote the
# same document's text about that step, and are left empty where it has none.
PROCESS = {
    "type": "process_steps",
    "value": {
        "heading": "Så går en medborgardialog till",
        "intro": (
            "Stegen följer Alingsås kommuns skiss av processen för medborgardialog, där varje steg ligger "
            "hos de förtroendevalda, hos tjänstepersonerna eller hos båda gemensamt. ”Det ska tydligt framgå "
            "vem som har ansvaret för vad i de olika stegen i processen.” "
            f"Citaten under stegen är hämtade ur samma dokument ({ALINGSAS})."
        ),
        "steps": [
            {"title": "Syfte/påverkansbarhet", "description": "", "responsible": "representatives"},
            {
                "title": "Identifiera fråga/problemområde",
                "description": (
                    "”Nämnd eller styrelse ska börja med att definiera ämnesområdet för dialogen – vilken fråga "
                    "och vilka aspekter av frågan ska dialogen bestå av?” ”En sammanfattning av tidigare beslut, "
                    "aktiviteter och åtgärder i frågan är bra att ha med när ämnesområdet definieras. Om fler "
                    "nämnder berörs, bör dialogen ske i samverkan.”"
                ),
                "responsible": "joint",
            },
            {
                "title": "Beslut om medborgardialog",
                "description": (
                    "”När nämnd eller styrelse beslutar om att genomföra en medborgardialog ska beslutet även "
                    "innefatta en budget och en utsedd styrgrupp.” ”Det är viktigt att beslut om "
                    "medborgardialog fattas innan planeringsarbetet påbörjas.”"
                ),
                "responsible": "representatives",
            },
            {
                "title": "Planering",
                "description": (
                    "”Tjänstepersonen har i uppgift att ta fram förslag på hur genomförandet ska gå till. "
                    "Förslaget bör bland annat innehålla en kommunikationsplan, plan för dokumentation och "
                    "återkoppling och hur utvärdering ska ske.” ”När dialog planeras behöver därför en "
                    "kartläggning göras över vilka grupper som är viktigast att nå.”"
                ),
                "responsible": "officials",
            },
            {"title": "Avstämning", "description": "", "responsible": "representatives"},
            {
                "title": "Genomföra dialog",
                "description": (
                    "”Medborgardialog är de förtroendevaldas arena och ska alltid genomföras av förtroendevalda.”"
                ),
                "responsible": "joint",
            },
            {"title": "Sammanställa resultat", "description": "", "responsible": "officials"},
            {
                "title": "Beslut",
                "description": (
                    "”Resultatet som tas fram tillsammans med medborgarna ligger till grund för det beslut som i "
                    "slutänden fattas av de förtroendevalda.” ”Även efter en genomförd medborgardialog så ligger "
                    "ansvaret hos nämnderna och styrelserna att fatta de slutgiltiga besluten.”"
                ),
                "responsible": "representatives",
            },
            {
                "title": "Återkoppling/Resultat till medborgarna",
                "description": (
                    "”Efter genomförd medborgardialog är det viktigt att deltagarna får veta resultatet.” ”På "
                    "vilket sätt som återkopplingen ska ske bestäms tidigt i processen och förmedlas så tydligt "
                    "som möjligt till deltagarna.”"
                ),
                "responsible": "joint",
            },
            {
                "title": "Utvärdering och gemensamt lärande",
                "description": (
                    "”Efter en genomförd medborgardialog ska det göras en grundlig utvärdering, både intern och "
                    "utifrån deltagarnas upplevelse. Detta görs för att utveckla och förbättra kommande "
                    "medborgardialoger.”"
                ),
                "responsible": "joint",
            },
        ],
    },
}

DIALOG_TYPES = {
    "type": "dialog_types",
    "value": {
        "heading": "Olika typer av dialog",
        "intro": (
            "”Det finns ingen kommunikation som är bättre än den andra, utan det är syftet som styr vilken typ "
            "av dialog som ska användas med medborgare eller brukare.” Definitionerna i tabellen är citerade "
            f"ur {ALINGSAS}."
        ),
        "types": [
            {
                "dialog_type": DialogType.CITIZEN.value,
                "definition": (
                    "En medborgardialog är ett strukturerat samtal om samhällsfrågor där medborgare, "
                    "förtroendevalda och medarbetare i kommunorganisationen är delaktiga och där "
                    "allmänintresset står i centrum."
                ),
            },
            {
                "dialog_type": DialogType.STAKEHOLDER.value,
                "definition": (
                    "Intressedialog (organisationsdialog): Handlar om att ta in synpunkter runt enskilda frågor. "
                    "Synpunkterna blir en del av underlaget inför beslut. Det kan t ex handla om beslut om "
                    "utformning. Det kan vara specifika grupper som inbjuds eller så kan inbjudan gälla hela "
                    "allmänheten. Intressentdialog genomförs av tjänstemän."
                ),
            },
            {
                "dialog_type": DialogType.SERVICE_USER.value,
                "definition": (
                    "Brukardialog/kunddialog: Handlar om att ta in synpunkter runt enskilda frågor som är "
                    "intressanta för en specifik grupp av brukare. Hur nöjda är våra brukare med de tjänster vi "
                    "levererar. Syftet med en brukardialog och kunddialog är att förbättra verksamheterna och den "
                    "service vi erbjuder medborgarna. Brukardialog fokuserar i hög utsträckning på hur "
                    "verksamheten bedrivs och fungerar. Brukardialog och kunddialog genomförs av tjänstemän."
                ),
            },
            {
                "dialog_type": DialogType.USER_COUNCIL.value,
                "definition": (
                    "Brukarråd: För att ta tillvara på specifika gruppers synpunkter finns formaliserade "
                    "brukarråd, pensionärsråd, rådet för mänskliga rättigheter och ungdomsråd. Dessa dialoger "
                    "förs mellan representanter för olika intresseorganisationer och förtroendevalda. "
                    "Tjänstepersoner finns också med som administrativt stöd och för att bidra med fackkunskap."
                ),
            },
            {
                "dialog_type": DialogType.STATUTORY_CONSULTATION.value,
                "definition": (
                    "Samråd: När det gäller den fysiska planeringen har kommunen enligt plan-och bygglagen (PBL) "
                    "alltid skyldighet att samråda med olika intressenter."
                ),
            },
        ],
    },
}

FEEDBACK = paragraph(
    "<h2>Återkoppling och utveckling</h2>"
    "<p>Trelleborgs kommuns principer för medborgardialog säger om återkoppling:</p>"
    "<ul>"
    "<li>”Det slutliga resultatet av en medborgardialog ska alltid återkopplas. Den lägsta nivån av "
    "återkoppling är att resultatet av dialogen återges till de som har deltagit. En beskrivning av på "
    "vilket sätt medverkan i dialogen har påverkat processen ska ingå i återkopplingen.”</li>"
    "<li>”Mer omfattande medborgardialoger ska återkopplas i nämndernas verksamhetsberättelser.”</li>"
    "<li>”Dialogprocessen, metoder och kompetens för medborgardialog ska utvärderas och utvecklas "
    "fortlöpande.”</li>"
    "</ul>"
    f"<p>Källa: {TRELLEBORG}.</p>"
)


def gate(question_open, decision_makers_open, knowledge_needed, residents_learn):
    """All four gate answers yes, each with its motivation."""
    return {
        "gate_question_open": GateAnswer.YES,
        "gate_question_open_motivation": question_open,
        "gate_decision_makers_open": GateAnswer.YES,
        "gate_decision_makers_open_motivation": decision_makers_open,
        "gate_knowledge_needed": GateAnswer.YES,
        "gate_knowledge_needed_motivation": knowledge_needed,
        "gate_residents_learn": GateAnswer.YES,
        "gate_residents_learn_motivation": residents_learn,
    }


def limits(*rows):
    return [DialogScopeLimit(fixed=fixed, reason=reason, explanation=why) for fixed, reason, why in rows]


def groups(*rows):
    return [DialogTargetGroup(name=name, how_reached=how, seldom_heard=seldom) for name, how, seldom in rows]


def methods(*rows):
    return [
        DialogMethod(ladder_method=slug, own_method=own, description=description) for slug, own, description in rows
    ]


def demo_dialogs(today, bodies):
    """The fictional dialogs, one per status, as (fields, children, tags)."""
    day = datetime.timedelta(days=1)
    year = today.year
    reason = DialogScopeLimit.Reason
    return [
        # Open: a consultation about a park and playground.
        (
            {
                "title": "Ny park och lekplats i Norrby",
                "slug": "park-och-lekplats-norrby",
                "dialog_type": DialogType.CITIZEN,
                "participation_level": ParticipationLevel.CONSULTATION,
                "question": "Vad vill du att den nya parken och lekplatsen vid Norrbyskolan ska innehålla?",
                "purpose": (
                    "Samhällsbyggnadsnämnden vill veta vad barn, föräldrar och andra som bor i Norrby tycker är "
                    "viktigast i den nya parken, innan nämnden beslutar hur den ska utformas."
                ),
                "background": (
                    "<p>Den gamla lekplatsen vid Norrbyskolan revs förra året eftersom utrustningen var sliten. "
                    "Kommunfullmäktige har avsatt pengar i årets budget till en ny park med lekplats på samma "
                    "plats.</p>"
                ),
                "scope_open": (
                    "Vilka lekredskap parken får, var det ska finnas sittplatser, grillplats och planteringar, "
                    "och hur ytan fördelas mellan lek, grönska och aktiviteter för äldre barn."
                ),
                "decision_body": bodies["sbn"],
                "case_number": f"SBN {year}/41",
                "representatives": "Ledamöter ur samhällsbyggnadsnämnden, från både majoriteten och oppositionen.",
                "opens_on": today - 10 * day,
                "closes_on": today + 20 * day,
                "decision_expected_on": today + 75 * day,
                "feedback_due_on": today + 90 * day,
                "result_use": (
                    "Förvaltningen sammanställer alla synpunkter. Sammanställningen blir en del av "
                    "beslutsunderlaget när samhällsbyggnadsnämnden beslutar om parkens utformning."
                ),
                "feedback_method": (
                    "Sammanställningen och nämndens beslut publiceras på den här sidan. Barnen i fokusgrupperna "
                    "får återkoppling i skolan, och alla som lämnat e-postadress i enkäten får ett mejl när "
                    "beslutet är fattat."
                ),
                **gate(
                    "Parkens innehåll och utformning är inte bestämda; bara placeringen och kostnaden är fasta.",
                    "Nämnden har inte tagit ställning till något förslag och vill pröva olika alternativ.",
                    "Nämnden behöver veta vad barn och boende i Norrby prioriterar för att kunna välja mellan "
                    "lekredskap och ytor.",
                    "Dialogen visar vad en park kostar och varför allt inte ryms inom budgeten.",
                ),
                "body": [
                    paragraph(
                        "<h2>Så lämnar du dina synpunkter</h2>"
                        f"<p>Svara på enkäten senast den {sv_date(today + 20 * day)}. Enkäten finns på papper "
                        "på biblioteket och i Norrby träffpunkt. Du kan också lägga ett förslag i lådan på "
                        "Norrby träffpunkt.</p>"
                    )
                ],
            },
            {
                "scope_limits": limits(
                    ("Parkens placering och storlek", reason.PLAN, "Ytan är bestämd i detaljplanen för kvarteret."),
                    (
                        "Den totala kostnaden, 2,5 miljoner kronor",
                        reason.BUDGET,
                        "Beslutad i kommunfullmäktiges budget.",
                    ),
                    (
                        "Säkerhetskraven på lekredskap och underlag",
                        reason.LAW,
                        "Lekplatsen måste uppfylla gällande säkerhetskrav.",
                    ),
                ),
                "target_groups": groups(
                    (
                        "Barn 6–12 år i Norrby",
                        (
                            "Fokusgrupper under skoltid på Norrbyskolan, med bilder och modeller i stället för "
                            "skriftliga frågor."
                        ),
                        True,
                    ),
                    (
                        "Föräldrar och andra som bor i Norrby",
                        "Webbenkät och pappersenkät på biblioteket och i Norrby träffpunkt.",
                        False,
                    ),
                    (
                        "Boende som inte har svenska som förstaspråk",
                        (
                            "Samtal med tolk på arabiska, somaliska och tigrinja under två eftermiddagar i Norrby "
                            "träffpunkt."
                        ),
                        True,
                    ),
                ),
                "methods": methods(
                    ("survey", "", "Webbenkät och pappersenkät, öppen hela dialogperioden."),
                    ("focus-group", "", "Tre fokusgrupper med barn på Norrbyskolan."),
                    ("submitted-proposals", "", "Förslag kan läggas i en låda i Norrby träffpunkt."),
                ),
            },
            ["Park och lek", "Norrby"],
        ),
        # Closed, awaiting decision: a dialogue about safety around the station.
        (
            {
                "title": "Tryggare miljö kring resecentrum",
                "slug": "trygghet-resecentrum",
                "dialog_type": DialogType.CITIZEN,
                "participation_level": ParticipationLevel.DIALOGUE,
                "question": (
                    "Vad skulle få dig att känna dig tryggare och trivas bättre kring resecentrum, särskilt på kvällen?"
                ),
                "purpose": (
                    "Kommunstyrelsen ska besluta om ett åtgärdsprogram för området kring resecentrum och vill "
                    "först resonera med dem som använder platsen om vad som gör den otrygg och vad som skulle "
                    "göra skillnad."
                ),
                "background": (
                    "<p>I kommunens trygghetsmätning har området kring resecentrum flera år i rad fått lägst "
                    "betyg av alla platser i centrum. Belysningen i gångtunneln byttes ut för två år sedan.</p>"
                ),
                "scope_open": (
                    "Vilka åtgärder som prioriteras i programmet, till exempel belysning, växtlighet, sittplatser, "
                    "aktiviteter, städning och hur väntsalen används på kvällen."
                ),
                "decision_body": bodies["ks"],
                "case_number": f"KS {year}/88",
                "representatives": "Ledamöter ur kommunstyrelsens arbetsutskott.",
                "opens_on": today - 45 * day,
                "closes_on": today - 10 * day,
                "decision_expected_on": today + 30 * day,
                "feedback_due_on": today + 45 * day,
                "result_use": (
                    "Förvaltningen sammanställer det som kom fram på dialogcaféerna, i webbforumet och på "
                    "trygghetsvandringen. Sammanställningen blir en bilaga till förslaget till åtgärdsprogram "
                    "som kommunstyrelsen beslutar om."
                ),
                "feedback_method": (
                    "Sammanställningen publiceras här innan kommunstyrelsen beslutar. När beslutet är fattat "
                    "publicerar vi det här, tillsammans med hur dialogen påverkade det, och alla som deltog i "
                    "dialogcaféerna bjuds in till ett återkopplingsmöte."
                ),
                **gate(
                    "Programmets innehåll är öppet; bara ramen och spårområdet är fasta.",
                    "Kommunstyrelsen har inte bestämt vilka åtgärder som ska prioriteras.",
                    "De som använder platsen vet bäst när och varför den känns otrygg.",
                    "Dialogen visar vad kommunen ansvarar för och vad som ligger hos andra, till exempel spårområdet.",
                ),
                "body": [],
            },
            {
                "scope_limits": limits(
                    ("Spårområdet och perrongerna", reason.OTHER, "Ägs och förvaltas av staten, inte av kommunen."),
                    ("Ramen för åtgärdsprogrammet, 4 miljoner kronor", reason.BUDGET, ""),
                ),
                "target_groups": groups(
                    ("Pendlare och andra resenärer", "Dialogcaféer i väntsalen vid morgon- och kvällstrafiken.", False),
                    (
                        "Unga 13–19 år som träffas i centrum",
                        "Fältassistenterna och fritidsgården bjöd in till ett eget dialogcafé.",
                        True,
                    ),
                    (
                        "Personer med funktionsnedsättning",
                        "Genom kommunens funktionsrättsråd och en trygghetsvandring tillsammans med deltagarna.",
                        True,
                    ),
                ),
                "methods": methods(
                    ("dialogue-cafe", "", "Tre dialogcaféer i väntsalen på resecentrum, ett av dem på kvällen."),
                    ("web-forum", "", "Ett modererat webbforum under hela dialogperioden."),
                    ("", "Trygghetsvandring", "En kvällsvandring i området med boende, unga och förtroendevalda."),
                ),
            },
            ["Trygghet", "Centrum"],
        ),
        # Feedback given: influence over a longer period, with "you said – we did".
        (
            {
                "title": "En mötesplats för unga i Ekbacken",
                "slug": "motesplats-for-unga-ekbacken",
                "dialog_type": DialogType.CITIZEN,
                "participation_level": ParticipationLevel.INFLUENCE,
                "question": (
                    "Hur ska en ny mötesplats för unga i Ekbacken se ut, var ska den ligga och vad ska man kunna göra "
                    "där?"
                ),
                "purpose": (
                    "Barn- och utbildningsnämnden ville planera den nya mötesplatsen tillsammans med de unga som "
                    "ska använda den, under en hel termin."
                ),
                "background": (
                    "<p>Fritidsgården i Ekbacken stängdes när skolan byggdes om. Sedan dess har unga i "
                    "stadsdelen saknat en plats att vara på kvällar och helger.</p>"
                ),
                "scope_open": (
                    "Var mötesplatsen ska ligga, bland tre möjliga lokaler, vad den ska innehålla och hur den "
                    "ska inredas, och öppettiderna inom personalbudgeten."
                ),
                "decision_body": bodies["bun"],
                "case_number": f"BUN {year}/17",
                "representatives": "Ledamöter ur barn- och utbildningsnämnden.",
                "opens_on": today - 200 * day,
                "closes_on": today - 90 * day,
                "decision_expected_on": today - 40 * day,
                "feedback_due_on": today - 30 * day,
                "result_use": (
                    "Förslaget som de unga tog fram tillsammans med fritidsledare och förtroendevalda blev en del "
                    "av beslutsunderlaget när barn- och utbildningsnämnden beslutade om mötesplatsen."
                ),
                "feedback_method": (
                    "På ett avslutande möte med alla som deltog, på den här sidan och i nämndens verksamhetsberättelse."
                ),
                **gate(
                    "Placering, innehåll och öppettider var inte bestämda.",
                    "Nämnden hade tre möjliga lokaler och inget färdigt förslag.",
                    (
                        "Nämnden behövde veta vad unga i Ekbacken saknar och vad som gör att de vill komma till en "
                        "mötesplats."
                    ),
                    "De unga fick se vad en mötesplats kostar att driva och varför allt inte går att göra på en gång.",
                ),
                "decided_on": today - 40 * day,
                "decision_summary": (
                    "Barn- och utbildningsnämnden beslutade att öppna en mötesplats för unga i den tidigare "
                    "biblioteksfilialen i Ekbackens centrum, med öppet fyra kvällar i veckan och på lördagar."
                ),
                "feedback_published_on": today - 30 * day,
                "participant_count": 90,  # "Omkring 90 unga deltog", as the feedback says
                "feedback_summary": (
                    "Omkring 90 unga deltog i fyra framtidsverkstäder och i arbetsgruppen som under våren tog "
                    "fram ett förslag. De ville ha en plats nära bussen, öppen på kvällar och helger, där man kan "
                    "laga mat tillsammans, spela musik och plugga i lugn och ro. Många tjejer berättade att de "
                    "inte känner sig välkomna på de mötesplatser som finns i dag."
                ),
                "participation_effect": (
                    "Förvaltningens första förslag var en lokal vid idrottsplatsen. De unga visade att den ligger "
                    "långt från bussen och känns otrygg på kvällen, och nämnden valde därför lokalen i centrum. "
                    "Lördagsöppet, ett studierum och kvällar för tjejer kom med i beslutet efter dialogen. "
                    "Önskan om en inomhushall för skateboard ryms inte i budgeten och tas med i arbetet med "
                    "nästa års budget."
                ),
                "body": [
                    {
                        "type": "you_said_we_did",
                        "value": {
                            "heading": "Ni sa – vi gjorde",
                            "intro": "De viktigaste synpunkterna från dialogen, och vad nämnden gjorde med dem.",
                            "pairs": [
                                {
                                    "you_said": "Mötesplatsen måste ligga nära bussen och kännas trygg på kvällen.",
                                    "we_did": (
                                        "Nämnden valde lokalen i Ekbackens centrum i stället för lokalen vid "
                                        "idrottsplatsen."
                                    ),
                                },
                                {
                                    "you_said": "Vi vill kunna plugga i lugn och ro efter skolan.",
                                    "we_did": "Ett av rummen blir studierum, med läxhjälp två kvällar i veckan.",
                                },
                                {
                                    "you_said": "Tjejer känner sig inte välkomna på de mötesplatser som finns i dag.",
                                    "we_did": (
                                        "Två kvällar i månaden är för tjejer, och tjejer från arbetsgruppen är med "
                                        "och planerar dem."
                                    ),
                                },
                                {
                                    "you_said": "Vi vill ha en inomhushall för skateboard.",
                                    "we_did": (
                                        "Det ryms inte i budgeten i år. Förslaget tas med i arbetet med nästa års "
                                        "budget."
                                    ),
                                },
                            ],
                        },
                    }
                ],
            },
            {
                "scope_limits": limits(
                    ("Personalbudgeten", reason.BUDGET, "Räcker till två heltidstjänster som fritidsledare."),
                ),
                "target_groups": groups(
                    (
                        "Unga 13–18 år i Ekbacken",
                        "Inbjudan i skolan, på sociala medier och genom fältassistenterna.",
                        False,
                    ),
                    ("Tjejer 13–18 år", "Egna träffar ledda av kvinnliga fritidsledare.", True),
                    ("Unga med neuropsykiatrisk funktionsnedsättning", "Små grupper i samarbete med elevhälsan.", True),
                ),
                "methods": methods(
                    ("future-workshop", "", "Fyra framtidsverkstäder på kvällstid i skolans matsal."),
                    (
                        "joint-project",
                        "",
                        (
                            "En arbetsgrupp av unga tog under våren fram förslaget tillsammans med fritidsledare och "
                            "förtroendevalda."
                        ),
                    ),
                ),
            },
            ["Fritid", "Unga", "Ekbacken"],
        ),
        # Upcoming: co-determination through a participatory budget.
        (
            {
                "title": "Medborgarbudget för landsbygden",
                "slug": "medborgarbudget-landsbygden",
                "dialog_type": DialogType.CITIZEN,
                "participation_level": ParticipationLevel.CODETERMINATION,
                "question": (
                    "Hur ska en miljon kronor användas för att göra landsbygden i Exempelkommun bättre att leva i? "
                    "Lämna förslag och rösta."
                ),
                "purpose": (
                    "Kommunfullmäktige vill låta dem som bor och verkar på landsbygden bestämma hur en del av "
                    "budgeten ska användas."
                ),
                "background": (
                    "<p>Kommunfullmäktige har avsatt en miljon kronor i nästa års budget till projekt på "
                    "landsbygden som invånarna själva föreslår och röstar fram.</p>"
                ),
                "scope_open": (
                    "Vilka projekt som genomförs. Alla som bor, vistas eller verkar i kommunen kan lämna förslag, "
                    "och alla från 13 år kan rösta. De förslag som får flest röster genomförs, så långt pengarna "
                    "räcker."
                ),
                "decision_body": bodies["kf"],
                "case_number": f"KS {year}/154",
                "representatives": "En styrgrupp med en ledamot från varje parti i kommunfullmäktige.",
                "opens_on": today + 14 * day,
                "closes_on": today + 60 * day,
                "decision_expected_on": today + 120 * day,
                "feedback_due_on": today + 130 * day,
                "result_use": (
                    "Förvaltningen prövar att förslagen går att genomföra innan omröstningen. Kommunfullmäktige "
                    "beslutar sedan att genomföra de förslag som fått flest röster, inom ramen."
                ),
                "feedback_method": (
                    "Resultatet av omröstningen publiceras här dagen efter att omröstningen stängt. Alla som "
                    "lämnat förslag får besked om sitt förslag, och projekten följs upp på den här sidan tills de "
                    "är klara."
                ),
                **gate(
                    "Vilka projekt som genomförs avgörs helt av förslagen och omröstningen.",
                    "Fullmäktige har på förhand bundit sig vid att genomföra de förslag som får flest röster.",
                    "Förtroendevalda behöver veta vad de som bor på landsbygden själva prioriterar.",
                    "Deltagarna får se vad saker kostar och vad kommunen ansvarar för.",
                ),
                "body": [],
            },
            {
                "scope_limits": limits(
                    ("Den totala summan, en miljon kronor", reason.BUDGET, "Beslutad i kommunfullmäktiges budget."),
                    (
                        "Projekten måste vara sådant som kommunen får ansvara för",
                        reason.LAW,
                        "Kommunen får bara använda pengarna till det som kommunallagen tillåter.",
                    ),
                ),
                "target_groups": groups(
                    (
                        "Boende och företagare på landsbygden",
                        "Byalagens möten, lokaltidningen och kommunens webbplats.",
                        False,
                    ),
                    ("Unga 13–25 år", "Skolbesök och röstning i skolan.", True),
                    (
                        "Äldre som inte använder digitala tjänster",
                        (
                            "Förslag och röstsedlar på papper i biblioteken och genom hemtjänsten, och röstning på "
                            "byalagens möten."
                        ),
                        True,
                    ),
                ),
                "methods": methods(
                    (
                        "participatory-budget",
                        "",
                        "Förslag lämnas på webben, på papper i biblioteken eller på byalagens möten.",
                    ),
                    ("consultation-vote", "", "Omröstning på webben och på papper under de två sista veckorna."),
                ),
            },
            ["Landsbygd", "Medborgarbudget"],
        ),
        # Information only (no opening date): a statutory consultation under PBL,
        # which is not a citizen dialogue; the decision to consult is taken.
        (
            {
                "title": "Detaljplan för Norra hamnen – samråd",
                "slug": "detaljplan-norra-hamnen",
                "dialog_type": DialogType.STATUTORY_CONSULTATION,
                "participation_level": ParticipationLevel.INFORMATION,
                "question": (
                    "Vad innebär förslaget till detaljplan för Norra hamnen, och hur lämnar du synpunkter i samrådet?"
                ),
                "purpose": "Att informera om planförslaget och om hur samrådet enligt plan- och bygglagen går till.",
                "background": (
                    "<p>Förslaget till detaljplan gör det möjligt att bygga omkring 300 bostäder, en förskola och "
                    "en park där hamnens gamla lagerbyggnader står i dag.</p>"
                ),
                "decision_body": bodies["sbn"],
                "case_number": f"SBN {year}/112",
                "decided_on": today - 7 * day,
                # Promised after the decision, and now late: the admin lists it, the page says so.
                "feedback_due_on": today - 3 * day,
                "decision_summary": (
                    "Samhällsbyggnadsnämnden beslutade att skicka förslaget till detaljplan för Norra hamnen på samråd."
                ),
                "body": [
                    paragraph(
                        "<h2>Så lämnar du synpunkter i samrådet</h2>"
                        "<p>Samrådet är en del av planprocessen enligt plan- och bygglagen. Synpunkter lämnas "
                        "skriftligt till samhällsbyggnadsnämnden senast den "
                        f"{sv_date(today + 21 * day)}. Ange diarienummer SBN {year}/112.</p>"
                        "<p>Planförslaget finns i stadshusets reception och på biblioteket under samrådstiden.</p>"
                    )
                ],
            },
            {},
            ["Norra hamnen", "Detaljplan"],
        ),
    ]


class Command(BaseCommand):
    help = "Build (or rebuild) the Exempelkommun demo content and a local admin user."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
            help="Build the demo as if today were this day (the tests use it for figures that do not drift).",
        )

    def handle(self, *args, **options):
        # The site's "today", the same day the status rules use.
        today = options["today"] or timezone.localdate()
        with transaction.atomic():
            rebuilt = self.remove_previous_demo()
            home = self.create_home()
            bodies = self.create_decision_bodies()
            policy = self.publish(
                home,
                PolicyPage(
                    title="Riktlinjer för medborgardialog",
                    slug="riktlinjer",
                    intro=(
                        "<p>Exempelkommun är en påhittad kommun och har inga egna riktlinjer. Sidan visar hur en "
                        "kommun kan beskriva sitt arbete med medborgardialog med blocken i wagtail-dialog. "
                        "Texterna är citerade ur styrdokument från Vara, Alingsås och Trelleborgs kommuner, och "
                        "källan står vid varje avsnitt.</p>"
                    ),
                    body=[WHAT_IS_IT, PRINCIPLES, GATE, LADDER, PROCESS, DIALOG_TYPES, FEEDBACK],
                ),
            )
            index = self.publish(
                home,
                DialogIndexPage(
                    title="Medborgardialoger",
                    slug="dialoger",
                    intro=(
                        "<p>Här samlar Exempelkommun sina medborgardialoger: frågor där de förtroendevalda vill "
                        "veta vad du tycker innan de fattar beslut. Varje dialog visar hur mycket du kan påverka, "
                        "vem som beslutar och när, och hur du får veta vad som hände med det du sa.</p>"
                        f'<p>Läs mer i <a linktype="page" id="{policy.pk}">Riktlinjer för medborgardialog</a>.</p>'
                    ),
                ),
            )
            dialogs = [self.create_dialog(index, *spec) for spec in demo_dialogs(today, bodies)]
            self.create_contributions(dialogs, today)
            site_settings = self.configure_site(home)
            self.create_evaluation(dialogs, site_settings)
            user = self.create_admin()
            moderator = self.create_moderator()

        verb = "Rebuilt" if rebuilt else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} the {SITE_NAME} demo:"))
        for page in [home, policy, index, *dialogs]:
            status = f"  [{page.status.label}]" if isinstance(page, DialogPage) else ""
            self.stdout.write(f"  {page.url}  {page.title}{status}")
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(
            self.style.WARNING(
                f"Admin (local demo only): {base_url}/admin/  username {user.username!r}, password {ADMIN_PASSWORD!r}"
            )
        )
        self.stdout.write(
            self.style.WARNING(
                f"Moderator (local demo only): username {moderator.username!r}, password {ADMIN_PASSWORD!r}"
            )
        )

    def publish(self, parent, page, tags=()):
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    def remove_previous_demo(self):
        # Contributions hang on dialog pages; they go with them (CASCADE).
        """Delete earlier demo home pages and Wagtail's placeholder "Welcome" page.

        The default site is pointed at the tree root meanwhile, because deleting
        the page a site is rooted at would delete the site too.
        """
        root = Page.get_first_root_node()
        old = [
            page
            for page in root.get_children().specific()
            if isinstance(page, HomePage) or type(page) is Page  # noqa: E721  (exactly the placeholder)
        ]
        rebuilt = any(isinstance(page, HomePage) for page in old)
        site = Site.objects.filter(is_default_site=True).first()
        if site and any(site.root_page_id == page.pk for page in old):
            site.root_page = root
            site.save()
        for page in old:
            page.delete()
        return rebuilt

    def create_home(self):
        root = Page.get_first_root_node()
        home = self.publish(
            root,
            HomePage(
                title="Välkommen till Exempelkommun",
                slug="home",
                intro=(
                    "<p>Exempelkommun är en påhittad kommun. Här ser du vilka frågor du kan påverka just nu, hur "
                    "mycket du kan påverka och vad som blev resultatet av tidigare medborgardialoger.</p>"
                ),
            ),
        )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
        Site.clear_site_root_paths_cache()
        return home

    def create_decision_bodies(self):
        specs = {
            "kf": ("Kommunfullmäktige", DecisionBodyKind.MUNICIPAL_COUNCIL),
            "ks": ("Kommunstyrelsen", DecisionBodyKind.EXECUTIVE_BOARD),
            "sbn": ("Samhällsbyggnadsnämnden", DecisionBodyKind.COMMITTEE),
            "bun": ("Barn- och utbildningsnämnden", DecisionBodyKind.COMMITTEE),
        }
        bodies = {}
        for key, (name, kind) in specs.items():
            bodies[key], _ = DecisionBody.objects.update_or_create(name=name, defaults={"kind": kind})
        return bodies

    def create_dialog(self, index, fields, children, tags):
        # The same rules the admin applies when an editor presses "Publish".
        problems = publication_problems(fields)
        if problems:
            details = "; ".join(f"{field}: {message}" for field, message in problems.items())
            raise CommandError(f"Demo dialog {fields['title']!r} would not pass publication: {details}")
        return self.publish(index, DialogPage(**fields, **children), tags=tags)

    def create_contributions(self, dialogs, today):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        specs = [
            (by_slug["park-och-lekplats-norrby"], park_contributions(320, today)),
            (by_slug["trygghet-resecentrum"], travel_centre_contributions(today)),
        ]
        for dialog, rows in specs:
            Contribution.objects.bulk_create(Contribution(dialog=dialog, **row) for row in rows)
        # bulk_create skips save() and search indexing; do both so search works at once.
        demo = Contribution.objects.filter(dialog__in=[dialog for dialog, _ in specs])
        refresh_terms(contributions=demo, dialogs=DialogPage.objects.none())
        for contribution in demo.filter(status=ContributionStatus.PUBLISHED):
            insert_or_update_object(contribution)

    def configure_site(self, home):
        site = Site.objects.get(root_page=home)
        settings_ = DialogSiteSettings.for_site(site)
        settings_.privacy_notice = (
            "<p>Exempelkommun (kommunstyrelsen) är personuppgiftsansvarig. Vi sparar det du skriver, och namn "
            "och e-post om du anger dem, för att kunna ta hänsyn till din synpunkt i dialogen och berätta vad "
            "som händer. Namnet visas med synpunkten om den publiceras; e-postadressen visas aldrig. "
            "Uppgifterna tas bort när dialogen är avslutad och återkopplad. Du har rätt att få veta vad vi "
            "sparat om dig och att få det rättat eller raderat.</p>"
            "<p>Exempelkommun är påhittad: detta är en exempeltext, ingen riktig integritetspolicy.</p>"
        )
        settings_.privacy_notice_version = "1"
        settings_.contact = "dialog@exempelkommun.invalid, 0000-00 00 00"
        settings_.areas = "\n".join(AREAS)
        # Vara's four principles (quoted on the policy page) are what each dialog is assessed against.
        settings_.evaluation_principles.set([
            EvaluationPrinciple(title=principle["title"], explanation=principle["text"], sort_order=position)
            for position, principle in enumerate(PRINCIPLES["value"]["principles"])
        ])
        settings_.save()
        return settings_

    def create_evaluation(self, dialogs, site_settings):
        by_slug = {dialog.slug: dialog for dialog in dialogs}
        for slug, answers in SURVEY.items():
            for understood, accessible, feedback, again, improvement in answers:
                record_response(
                    by_slug[slug],
                    {"understood_influence": understood, "accessible": accessible, "got_feedback": feedback,
                     "take_part_again": again},
                    improvement=improvement,
                )
        principles = list(site_settings.evaluation_principles.all())
        for slug, verdicts in SELF_ASSESSMENT.items():
            record_self_assessment(by_slug[slug], dict(zip(principles, verdicts)), user=None)

    def create_moderator(self):
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=MODERATOR_USERNAME, defaults={"email": "moderator@exempelkommun.invalid"}
        )
        user.is_active = True
        user.set_password(ADMIN_PASSWORD)
        user.save()
        group = Group.objects.get(name=MODERATORS_GROUP)
        user.groups.add(group)
        # The demo moderator may also see names and emails; a real site grants this on purpose.
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtail_dialog", codename="view_personal_data")
        )
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "sv"
        profile.save()
        return user

    def create_admin(self):
        User = get_user_model()
        user, _ = User.objects.get_or_create(
            username=ADMIN_USERNAME, defaults={"email": "admin@exempelkommun.invalid"}
        )
        user.is_active = user.is_staff = user.is_superuser = True
        user.set_password(ADMIN_PASSWORD)
        user.save()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "sv"
        profile.save()
        return user
