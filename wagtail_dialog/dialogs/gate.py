"""The gate (vägval): four questions that must all be answered yes before a
dialogue is held (SKR's "Vägval inför en medborgardialog", quoted by Vara and
Åstorp). If any answer is no or doubtful, there should be no dialogue.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class GateAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    DOUBTFUL = "doubtful", _("Doubtful")


@dataclass(frozen=True)
class GateQuestion:
    #: The DialogPage field holding the answer; "<field>_motivation" holds the why.
    field: str
    text: Promise
    #: A short name: the answer field's verbose name and the editor's panel heading.
    label: Promise


#: The rule, as the editor reads it before answering.
GATE_RULE = _(
    "A dialogue is held only when the answer to all four questions is yes: the question is open to influence, "
    "the decision-makers are open to influence, they need residents' knowledge, and the dialogue can give "
    "residents knowledge in return. A dialog that opens for contributions cannot be published otherwise; if any "
    "answer is no or doubtful, inform instead (the level Information, without an opening date)."
)

GATE_QUESTIONS = (
    GateQuestion("gate_question_open", _("Is the question open to influence?"), _("question open to influence")),
    GateQuestion(
        "gate_decision_makers_open",
        _("Are we, the decision-makers, open to influence?"),
        _("decision-makers open to influence"),
    ),
    GateQuestion(
        "gate_knowledge_needed",
        _(
            "Do the elected representatives need more knowledge of residents' values, "
            "priorities and opinions on the question to make the best decision?"
        ),
        _("representatives need residents' knowledge"),
    ),
    GateQuestion(
        "gate_residents_learn",
        _(
            "Can the dialogue give residents more knowledge of the municipality's "
            "responsibilities and need to prioritise?"
        ),
        _("residents learn about priorities"),
    ),
)

#: Each question by the field that holds its answer.
GATE_QUESTION_BY_FIELD = {question.field: question for question in GATE_QUESTIONS}


def gate_passed(answers):
    """True when every gate question is answered yes.

    ``answers`` maps each question's field name to its answer.
    """
    return all(answers.get(question.field) == GateAnswer.YES for question in GATE_QUESTIONS)


def gate_answers(dialog):
    """Each gate question with the dialog's answer and motivation, for templates.

    ``dialog`` may be anything (or None): a page without gate fields gets the
    bare questions.
    """
    rows = []
    for question in GATE_QUESTIONS:
        answer = getattr(dialog, question.field, "")
        rows.append(
            {
                "text": question.text,
                "answer": GateAnswer(answer).label if answer in GateAnswer.values else "",
                "motivation": getattr(dialog, f"{question.field}_motivation", ""),
            }
        )
    return rows
