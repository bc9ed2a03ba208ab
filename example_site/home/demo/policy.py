"""The demo's policy texts: quoted word for word from real municipalities'
documents (see the project's seeds), each with its source; and the small
helpers the demo writes dates and paragraphs with."""

from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.types import DialogType

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
