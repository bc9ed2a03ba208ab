"""Feedback given: influence over a longer period, with "you said – we did" (Inflytande)."""

import datetime

from home.demo.builders import gate, groups, limits, methods
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogScopeLimit
from wagtail_dialog.dialogs.types import DialogType


def dialog(today, bodies):
    """(fields, children, tags) of the dialog, dated relative to ``today``."""
    day = datetime.timedelta(days=1)
    year = today.year
    reason = DialogScopeLimit.Reason
    return (
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
    )
