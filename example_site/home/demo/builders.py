"""Small builders for the demo dialogs' fields and inline lists."""

from wagtail_dialog.dialogs.gate import GateAnswer
from wagtail_dialog.dialogs.pages import DialogMethod, DialogScopeLimit, DialogTargetGroup


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
