"""Information only (no opening date): a statutory consultation under PBL,
which is not a citizen dialogue; the decision to consult is taken."""

import datetime

from home.demo.policy import paragraph
from wagtail_dialog.dialogs.legal_basis import LegalBasis
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.types import DialogType


def dialog(today, bodies):
    """(fields, children, tags) of the dialog, dated relative to ``today``."""
    day = datetime.timedelta(days=1)
    year = today.year
    return (
        {
            "title": "Detaljplan för Norra hamnen – samråd",
            "slug": "detaljplan-norra-hamnen",
            "dialog_type": DialogType.STATUTORY_CONSULTATION,
            # A samråd under the Planning and Building Act: the law requires it.
            "legal_basis": LegalBasis.LEGAL_OBLIGATION,
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
            # The samråd takes written views, not this page's form: the page says how and until when.
            "other_ways": (
                "Skriv till samhällsbyggnadsnämnden, med post eller e-post, och ange diarienummer "
                f"SBN {year}/112. Samrådet är en del av planprocessen enligt plan- och bygglagen."
            ),
            "other_ways_until": today + 21 * day,
            "body": [
                paragraph(
                    "<h2>Här finns planförslaget</h2>"
                    "<p>Planförslaget finns i stadshusets reception och på biblioteket under samrådstiden.</p>"
                )
            ],
        },
        {},
        ["Norra hamnen", "Detaljplan"],
    )
