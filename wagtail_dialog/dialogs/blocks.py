"""StreamField blocks, one per concept from the policies.

Each block carries its own template, preview value and description so editors
can use it on any page: a municipality's policy page as well as a dialog page.
Add them to a site's own StreamField with ``DialogContentBlock`` or pick single
blocks from here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from wagtail_dialog.dialogs.gate import gate_answers
from wagtail_dialog.dialogs.levels import ParticipationLevel, ladder_steps
from wagtail_dialog.dialogs.types import DialogType, definition


class ParticipationLadderBlock(blocks.StructBlock):
    """SKR's participation ladder, all five steps, with the municipality's own examples.

    On a dialog page the dialog's own step is highlighted unless the editor
    picks another; the highlighted step carries ``aria-current="step"``.
    """

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    highlight = blocks.ChoiceBlock(
        label=_("Step to highlight"),
        choices=ParticipationLevel.choices,
        required=False,
        help_text=_("Leave empty on a dialog page to highlight the dialog's own level."),
    )
    local_examples = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("level", blocks.ChoiceBlock(label=_("Step"), choices=ParticipationLevel.choices)),
                ("example", blocks.TextBlock(label=_("Local example"))),
            ]
        ),
        label=_("Local examples"),
        default=[],
    )
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Participation ladder")
        template = "wagtail_dialog/blocks/participation_ladder.html"
        description = _("The five steps of participation, from information to co-determination.")
        preview_value = {
            "heading": _("The participation ladder"),
            "highlight": ParticipationLevel.CONSULTATION,
            "local_examples": [
                {"level": ParticipationLevel.CONSULTATION, "example": _("A web survey about a new playground.")},
            ],
            "source": _("SKR, Sweden's Municipalities and Regions"),
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        highlight = value.get("highlight") or getattr(page, "participation_level", "")
        examples = [(item["level"], item["example"]) for item in value.get("local_examples") or []]
        context["steps"] = ladder_steps(highlight, examples)
        return context


class PrinciplesBlock(blocks.StructBlock):
    """A municipality's principles for citizen dialogue, in its own words."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    principles = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(label=_("Principle"))),
                ("text", blocks.TextBlock(label=_("Explanation"), required=False)),
            ]
        ),
        label=_("Principles"),
        min_num=1,
    )
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Principles")
        template = "wagtail_dialog/blocks/principles.html"
        description = _("The municipality's principles for citizen dialogue.")
        preview_value = {
            "heading": _("Our principles for citizen dialogue"),
            "principles": [
                {"title": _("We feed back and evaluate"), "text": _("The result always goes back to those who took part.")},
            ],
        }


class GateCriteriaBlock(blocks.StructBlock):
    """The four gate questions that must all be answered yes before a dialogue.

    On a dialog page it also shows how the responsible body answered them.
    """

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "help"
        label = _("Gate criteria")
        template = "wagtail_dialog/blocks/gate_criteria.html"
        description = _("Should we hold a dialogue at all? The four questions that all need a yes.")
        preview_value = {"heading": _("Should we hold a citizen dialogue?")}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["questions"] = gate_answers((parent_context or {}).get("page"))
        return context


RESPONSIBLE_CHOICES = [
    ("representatives", _("Elected representatives")),
    ("joint", _("Jointly")),
    ("officials", _("Officials")),
]


class ProcessStepsBlock(blocks.StructBlock):
    """The steps of a dialogue, each with who is responsible (Alingsås' process sketch)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    steps = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(label=_("Step"))),
                ("description", blocks.TextBlock(label=_("Description"), required=False)),
                ("responsible", blocks.ChoiceBlock(label=_("Responsible"), choices=RESPONSIBLE_CHOICES)),
            ]
        ),
        label=_("Steps"),
        min_num=1,
    )
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "redirect"
        label = _("Process steps")
        template = "wagtail_dialog/blocks/process_steps.html"
        description = _("How a dialogue is run, step by step, and who is responsible for each step.")
        preview_value = {
            "heading": _("How a citizen dialogue is run"),
            "steps": [
                {"title": _("Purpose and scope for influence"), "responsible": "representatives"},
                {"title": _("Identify the question"), "responsible": "joint"},
                {"title": _("Plan the dialogue"), "responsible": "officials"},
            ],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        labels = dict(RESPONSIBLE_CHOICES)
        context["steps"] = [
            {
                "title": step["title"],
                "description": step["description"],
                "responsible": step["responsible"],
                "responsible_label": labels.get(step["responsible"], ""),
            }
            for step in value.get("steps") or []
        ]
        return context


class DialogTypesBlock(blocks.StructBlock):
    """The kinds of dialogue and what sets them apart: a table of definitions."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    types = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("dialog_type", blocks.ChoiceBlock(label=_("Type of dialogue"), choices=DialogType.choices)),
                (
                    "definition",
                    blocks.TextBlock(
                        label=_("Definition"),
                        required=False,
                        help_text=_("Leave empty to use the standard definition."),
                    ),
                ),
            ]
        ),
        label=_("Types of dialogue"),
        min_num=1,
    )
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "table"
        label = _("Types of dialogue")
        template = "wagtail_dialog/blocks/dialog_types.html"
        description = _("A table that tells citizen dialogue apart from other kinds of dialogue.")
        preview_value = {
            "heading": _("Types of dialogue"),
            "types": [{"dialog_type": value, "definition": ""} for value in DialogType.values],
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["rows"] = [
            {
                "label": DialogType(item["dialog_type"]).label,
                "definition": item["definition"] or definition(item["dialog_type"]),
            }
            for item in value.get("types") or []
        ]
        return context


class YouSaidWeDidBlock(blocks.StructBlock):
    """Pairs of what residents said and what the municipality did about it."""

    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    pairs = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("you_said", blocks.TextBlock(label=_("You said"))),
                ("we_did", blocks.TextBlock(label=_("We did"))),
            ]
        ),
        label=_("Pairs"),
        min_num=1,
    )

    class Meta:
        icon = "openquote"
        label = _("You said – we did")
        template = "wagtail_dialog/blocks/you_said_we_did.html"
        description = _("What residents said in the dialogue and what the municipality did about it.")
        preview_value = {
            "heading": _("You said – we did"),
            "pairs": [
                {"you_said": _("The path to school is dark in winter."), "we_did": _("We are adding street lights.")},
            ],
        }


class DialogContentBlock(blocks.StreamBlock):
    """Rich text plus every concept block: use it as a StreamField on any page."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])
    participation_ladder = ParticipationLadderBlock()
    principles = PrinciplesBlock()
    gate_criteria = GateCriteriaBlock()
    process_steps = ProcessStepsBlock()
    dialog_types = DialogTypesBlock()
    you_said_we_did = YouSaidWeDidBlock()
