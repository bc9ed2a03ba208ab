"""Open: co-determination through a consultation with a vote (rådslag med omröstning, Medbestämmande):
the pupils and their guardians choose the new school's name among three (``home.demo.votes``)."""

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
            "title": "Namnet på den nya skolan i Norrby",
            "slug": "namn-nya-skolan-norrby",
            "dialog_type": DialogType.CITIZEN,
            "participation_level": ParticipationLevel.CODETERMINATION,
            "question": "Vilket av de tre namnförslagen ska den nya skolan i Norrby få?",
            "purpose": (
                "Barn- och utbildningsnämnden vill att de som ska gå på skolan och deras vårdnadshavare "
                "bestämmer vad skolan ska heta."
            ),
            "background": (
                "<p>Den nya skolan i Norrby öppnar till hösten. Eleverna har lämnat namnförslag i klasserna, "
                "och ett elevråd har valt ut de tre förslag som nu går till omröstning.</p>"
            ),
            "scope_open": "Vilket av de tre namnen skolan får.",
            "decision_body": bodies["bun"],
            "case_number": f"BUN {year}/88",
            "representatives": "Barn- och utbildningsnämndens presidium.",
            "opens_on": today - 5 * day,
            "closes_on": today + 16 * day,
            "decision_expected_on": today + 40 * day,
            "feedback_due_on": today + 45 * day,
            "result_use": (
                "Barn- och utbildningsnämnden har bestämt sig för att ge skolan det namn som får flest röster."
            ),
            "feedback_method": "På den här sidan och i klasserna, dagen efter att omröstningen stängt.",
            **gate(
                "Namnet är inte bestämt, och nämnden har bundit sig vid resultatet.",
                "Nämnden har inget eget förslag.",
                "Nämnden vill att skolans namn ska kännas som elevernas eget.",
                "Eleverna får lära sig hur en omröstning går till och att rösten är hemlig.",
            ),
            "body": [],
        },
        {
            "scope_limits": limits(
                ("Att skolan öppnar till hösten", reason.DECISION, "Beslutat av barn- och utbildningsnämnden."),
                (
                    "Att namnet väljs bland de tre förslagen",
                    reason.DECISION,
                    "Elevrådet har valt ut förslagen bland alla som eleverna lämnade.",
                ),
            ),
            "target_groups": groups(
                ("Elever på Norrbyskolan", "Koder delas ut i klasserna av mentorerna.", False),
                ("Vårdnadshavare", "Koder skickas hem med eleverna och finns på skolans expedition.", True),
            ),
            "methods": methods(
                ("consultation-vote", "", "Omröstning på webben med koder som delas ut i skolan."),
            ),
        },
        ["Skola", "Norrby"],
    )
