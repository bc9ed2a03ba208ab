"""What must hold before a dialog may be published.

A dialog that will open for contributions must have passed the gate (all four
answers yes) and must tell residents its level, who decides, what is open to
influence and how the result will be used. Drafts may be saved incomplete.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from wagtail_dialog.dialogs.gate import GATE_QUESTIONS, GateAnswer
from wagtail_dialog.dialogs.levels import LADDER, ParticipationLevel


def publication_problems(data):
    """Field name -> what is missing, for a dialog's field values in ``data``.

    ``data`` maps DialogPage field names to values, as in the edit form's
    cleaned_data (``decision_body`` is the body itself, not its id). An empty
    result means the dialog may be published.
    """
    problems = {}
    if not data.get("participation_level"):
        problems["participation_level"] = _("Choose the participation level before publishing.")
    if not data.get("opens_on"):
        return problems
    if data.get("participation_level") == ParticipationLevel.INFORMATION:
        problems["opens_on"] = _(
            "An information page does not open for contributions: remove the opening date or choose a dialogue level."
        )
    for question in GATE_QUESTIONS:
        if data.get(question.field) != GateAnswer.YES:
            problems[question.field] = _(
                "A dialog that opens for contributions needs the answer yes to this gate question."
            )
    if not data.get("decision_body"):
        problems["decision_body"] = _("Name the decision body before the dialog opens for contributions.")
    if not (data.get("scope_open") or "").strip():
        problems["scope_open"] = _("Say what residents can influence before the dialog opens for contributions.")
    if not (data.get("result_use") or "").strip():
        problems["result_use"] = _("Say how the result will be used before the dialog opens for contributions.")
    return problems


class DialogPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        level = self.fields.get("participation_level")
        if level is not None:
            # What each step gives residents, where the step is chosen.
            steps = "; ".join(f"{step.label}: {str(step.residents_get).lower()}" for step in LADDER)
            level.help_text = format_lazy("{} {}", level.help_text, _("Residents get to – %(steps)s.") % {"steps": steps})

    def clean(self):
        cleaned_data = super().clean()
        # Wagtail defers required fields only when saving a draft; every other
        # action (publish, submit for moderation, schedule) must meet the bar.
        if not self.is_deferred_validation:
            problems = publication_problems(cleaned_data)
            if problems:
                # The fields sit on different tabs; one summary names them all.
                # A gate question answered no or doubtful is not missing: it must be yes.
                gate_fields = {question.field for question in GATE_QUESTIONS}
                not_yes = [field for field in problems if field in gate_fields and cleaned_data.get(field)]
                missing = [field for field in problems if field not in not_yes and field in self.fields]
                if missing:
                    labels = ", ".join(str(self.fields[field].label) for field in missing)
                    self.add_error(
                        None, _("Before this dialog can be published, complete: %(fields)s.") % {"fields": labels}
                    )
                if not_yes:
                    labels = ", ".join(str(self.fields[field].label) for field in not_yes)
                    self.add_error(None, _(
                        "A dialog that opens for contributions can only be published when every gate question is "
                        "answered yes. Not yes: %(fields)s."
                    ) % {"fields": labels})
            for field, message in problems.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return cleaned_data
