"""The participation ladder (delaktighetstrappan) from SKR.

Each step says what characterises it, what residents get to do and which
methods typically go with it. The texts follow the ladder as the policies in
DOMAIN.md quote it; the Swedish catalogue carries SKR's own words.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ParticipationLevel(models.TextChoices):
    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    DIALOGUE = "dialogue", _("Dialogue")
    INFLUENCE = "influence", _("Influence")
    CODETERMINATION = "codetermination", _("Co-determination")


@dataclass(frozen=True)
class LevelDescription:
    level: ParticipationLevel
    characteristic: Promise
    residents_get: Promise
    #: (slug, label) pairs; the slug is what a dialog stores.
    method_examples: tuple[tuple[str, Promise], ...]

    @property
    def label(self):
        return self.level.label

    @property
    def value(self):
        return self.level.value

    @property
    def is_dialogue(self):
        # Alingsås: "Information" is what applies when the body chose *not* to
        # hold a dialogue; only the four upper steps are dialogue levels.
        return self.level != ParticipationLevel.INFORMATION


LADDER = (
    LevelDescription(
        ParticipationLevel.INFORMATION,
        characteristic=_("One-way communication"),
        residents_get=_("Know"),
        method_examples=(
            ("newspaper", _("Newspaper")),
            ("web", _("Web")),
            ("print", _("Printed matter")),
            ("information-meeting", _("Information meeting")),
        ),
    ),
    LevelDescription(
        ParticipationLevel.CONSULTATION,
        characteristic=_("Collecting views, requests and complaints"),
        residents_get=_("Have a say"),
        method_examples=(
            ("survey", _("Surveys")),
            ("council", _("Councils")),
            ("focus-group", _("Focus groups")),
            ("submitted-proposals", _("Submitted proposals and views")),
        ),
    ),
    LevelDescription(
        ParticipationLevel.DIALOGUE,
        characteristic=_("Discussion forums: residents get to meet others in various forms to hold a dialogue"),
        residents_get=_("Reason"),
        method_examples=(
            ("open-space", _("Open space")),
            ("dialogue-cafe", _("Dialogue cafés")),
            ("web-forum", _("Web forum")),
            ("chat", _("Chat")),
            ("citizens-assembly", _("Citizens' assembly")),
        ),
    ),
    LevelDescription(
        ParticipationLevel.INFLUENCE,
        characteristic=_("Residents take part over a longer period on an overall theme"),
        residents_get=_("Plan and carry out"),
        method_examples=(
            ("future-workshop", _("Future workshop")),
            ("joint-project", _("Joint projects")),
        ),
    ),
    LevelDescription(
        ParticipationLevel.CODETERMINATION,
        characteristic=_("Shared decision-making"),
        residents_get=_("Decide within given limits"),
        method_examples=(
            ("consultation-vote", _("Consultation with a vote")),
            ("participatory-budget", _("Participatory budget")),
        ),
    ),
)

_BY_VALUE = {step.value: step for step in LADDER}


def describe(level):
    """The ladder step for a level value, or None for an unknown or empty value."""
    return _BY_VALUE.get(level)


def method_example_choices():
    """Every method example on the ladder, grouped by step, for a select field."""
    return [(step.label, list(step.method_examples)) for step in LADDER]


def method_label(slug):
    """The label of a ladder method example, or None for an unknown slug."""
    for step in LADDER:
        for value, label in step.method_examples:
            if value == slug:
                return label
    return None


def ladder_steps(current="", local_examples=()):
    """The ladder as template rows: each step, whether it is ``current``, and
    the ``(level, example)`` pairs from ``local_examples`` that belong to it."""
    examples = {}
    for level, example in local_examples:
        examples.setdefault(level, []).append(example)
    return [
        {"step": step, "current": step.value == current, "local_examples": examples.get(step.value, [])}
        for step in LADDER
    ]


_RANK = {step.value: rank for rank, step in enumerate(LADDER)}


def reaches(level, lowest):
    """Whether a dialog at ``level`` stands on the step ``lowest`` or higher:
    a method that fits ``lowest`` may be offered there. An unknown or empty
    level reaches nothing."""
    return level in _RANK and _RANK[level] >= _RANK[lowest]
