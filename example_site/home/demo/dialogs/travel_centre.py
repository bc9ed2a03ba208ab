"""Open: a dialogue about safety around the travel centre (Dialog), with dialogue cafés to come and a walk
that has been (home.demo.meetings)."""

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
            "closes_on": today + 20 * day,
            "decision_expected_on": today + 45 * day,
            "feedback_due_on": today + 60 * day,
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
    )
