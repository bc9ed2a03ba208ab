"""Open: a consultation about a park and playground (Konsultation)."""

import datetime

from home.demo.builders import gate, groups, limits, methods
from home.demo.policy import paragraph, sv_date
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
    )
