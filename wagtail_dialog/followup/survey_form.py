"""The participants' survey as a resident fills it in (see ``evaluation``):
built on the resident forms of ``contributions.forms``, so it validates and
reports errors as the contribution form does."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from wagtail_dialog.contributions.forms import HONEYPOT, PlainTextField, ResidentForm
from wagtail_dialog.followup.evaluation import IMPROVEMENT_MAX_LENGTH, SurveyAnswer, survey_questions


class SurveyForm(ResidentForm):
    """The anonymous participant survey (see ``evaluation``): one answer per
    question asked about ``dialog`` today (``evaluation.survey_questions``: what
    came of it only once its feedback is published), an optional free text, and
    the same trap for bots as the contribution form."""

    improvement = PlainTextField(
        label=_("What could we do better? (optional)"),
        multiline=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, dialog, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = IMPROVEMENT_MAX_LENGTH
        questions = {
            question.field: forms.ChoiceField(
                label=question.text,
                choices=SurveyAnswer.choices,
                widget=forms.RadioSelect,
                # The question in the message: the error summary lists them all together.
                error_messages={
                    "required": format_lazy(_("Choose an answer to “{question}”"), question=question.text),
                    "invalid_choice": format_lazy(_("Choose one of the answers to “{question}”"),
                                                  question=question.text),
                },
            )
            for question in survey_questions(dialog)
        }
        # The questions first, in their order; then the free text.
        self.fields = {**questions, **self.fields}
        self.fields["improvement"].help_text = ngettext(
            "At most %(limit)d character. Leave out your name and other personal details: the answers are anonymous.",
            "At most %(limit)d characters. Leave out your name and other personal details: the answers are anonymous.",
            self.max_length,
        ) % {"limit": self.max_length}

    @property
    def questions(self):
        return [self[name] for name in self.fields if name not in ("improvement", HONEYPOT)]

    too_long_message = ngettext_lazy(
        "This is %(length)d characters long; at most %(limit)d fit. Shorten it by %(over)d character.",
        "This is %(length)d characters long; at most %(limit)d fit. Shorten it by %(over)d characters.",
        "over",
    )
    honeypot_message = _("Your answers could not be sent. This field must be empty: clear it and send again.")

    def clean_improvement(self):
        return self.checked_length(self.cleaned_data["improvement"], self.max_length)

    def anchor_for(self, name):
        if name in ("improvement", HONEYPOT):
            return self[name].id_for_label
        return f"{self[name].auto_id}_0"

    def answers(self):
        """The answers, once valid, as ``evaluation.record_response`` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("improvement", HONEYPOT)}
