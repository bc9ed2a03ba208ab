"""Open: co-determination through a participatory budget (Medbestämmande). Residents' ideas come in
with a cost and a place and are assessed; the feasible ones are voted on in two rounds, one per half
of the countryside: the northern round has closed with its funded projects, the southern one is open
during the dialogue's last two weeks (``home.demo.votes``)."""

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
                "landsbygden som invånarna själva föreslår och röstar fram. Pengarna fördelas i två omgångar: "
                "500 000 kronor till norra och 500 000 kronor till södra landsbygden.</p>"
            ),
            "collects_ideas": True,
            "scope_open": (
                "Vilka projekt som genomförs. Alla som bor, vistas eller verkar i kommunen kan lämna förslag, "
                "och alla från 13 år kan rösta. De förslag som får flest röster genomförs, så långt pengarna "
                "räcker."
            ),
            "decision_body": bodies["kf"],
            "case_number": f"KS {year}/154",
            "representatives": "En styrgrupp med en ledamot från varje parti i kommunfullmäktige.",
            "opens_on": today - 46 * day,
            "closes_on": today + 13 * day,
            "decision_expected_on": today + 60 * day,
            "feedback_due_on": today + 70 * day,
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
                ("consultation-vote", "", "Omröstning på webben och på papper, en omgång för norra och en för "
                                          "södra landsbygden."),
            ),
        },
        ["Landsbygd", "Medborgarbudget"],
    )
