"""A survey's result quoted where the municipality gives feedback: one
question's figures, as a chart and a table, with what was made of them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from wagtail_dialog.methods.surveys import results


class SurveyResultBlock(blocks.StructBlock):
    """One question of a survey below the dialog, counted when the page is shown."""

    survey = blocks.PageChooserBlock(page_type="wagtail_dialog.SurveyPage", label=_("Survey"))
    question = blocks.CharBlock(
        label=_("Question"), help_text=_("The question's label, as written in the survey."), max_length=255,
    )
    comment = blocks.TextBlock(label=_("What we made of it"), required=False)

    class Meta:
        icon = "form"
        label = _("A survey result")
        template = "wagtail_dialog/blocks/survey_result.html"
        description = _("One question's answers from a survey, as a chart and a table, in the feedback.")

    def clean(self, value):
        value = super().clean(value)
        survey = value.get("survey")
        if survey is not None and _question(survey.specific, value.get("question", "")) is None:
            raise StructBlockValidationError(block_errors={"question": ValidationError(
                _("The survey has no question with that label, or it is a written answer that cannot be counted.")
            )})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        survey = value["survey"].specific if value.get("survey") else None
        page = (parent_context or {}).get("page")
        # Only a live survey below the dialog giving the feedback: not another dialog's, not a draft.
        if survey is not None and (not survey.live or (page is not None and not survey.path.startswith(page.path))):
            survey = None
        question = _question(survey, value.get("question", "")) if survey is not None else None
        if question is not None:
            answers = results.answers_to(survey)
            respondents = answers.count()
            context.update(survey=survey, result=results.question_result(question, answers, respondents),
                           respondents=respondents, id_prefix=f"wd-quote-{question.pk}")
        return context


def _question(survey, label):
    wanted = (label or "").strip().casefold()
    for question in survey.questions.all():
        if question.label.strip().casefold() == wanted and not question.is_section and not question.is_free_text:
            return question
    return None
