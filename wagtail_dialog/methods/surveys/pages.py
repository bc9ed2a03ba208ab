"""The survey page (enkät): a way to take part that editors build with
Wagtail's form builder, below a dialog page.

The page is its own controller: the answer form at its address, the receipt
below it; what they do is in ``methods.surveys.views``.
"""

from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import FormMixin
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.methods.base import MethodPage, MethodPageForm
from wagtail_dialog.methods.surveys import views
from wagtail_dialog.methods.surveys.answers import AnswerLimit, SurveySubmission
from wagtail_dialog.methods.surveys.questions import (
    WRITTEN_CHOICE_TYPES,
    QuestionType,
    SurveyFormBuilder,
    choice_list,
)
from wagtail_dialog.shared_cache.cross_site import resident_form


class SurveyPageForm(MethodPageForm, WagtailAdminFormPageForm):
    """The method's rules (level, dates, slug), the form builder's (no two
    questions with one name), and a section's condition naming an earlier
    question and one of its answers."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("questions")
        if formset is None:
            return cleaned
        earlier = {}
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            label = (data.get("shown_if_label") or "").strip()
            if label and data.get("field_type") == QuestionType.SECTION:
                question = earlier.get(label.casefold())
                value = (data.get("shown_if_value") or "").strip().casefold()
                if question is None:
                    form.add_error("shown_if_label", _("No question before this heading has that label."))
                elif question["field_type"] in WRITTEN_CHOICE_TYPES and value not in {
                        choice.casefold() for choice in choice_list(question["choices"])}:
                    form.add_error("shown_if_value", _("That question has no such choice."))
            earlier[(data.get("label") or "").strip().casefold()] = data
        return cleaned


class SurveyPage(RoutablePageMixin, FormMixin, MethodPage):
    """A survey residents answer on the web, and staff type in from paper, meetings and phone."""

    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("What the survey is about and how long it takes, shown above the questions."))
    answer_limit = models.CharField(_("who may answer, and how often"), max_length=20, choices=AnswerLimit.choices,
                                    default=AnswerLimit.BROWSER)
    results_public = models.BooleanField(
        _("show the results on the survey's page once it has closed"), default=False,
        help_text=_("The counted answers as charts and tables; written answers are never shown."),
    )
    next_steps = models.TextField(
        _("what happens next"), blank=True,
        help_text=_("Shown on the receipt: what the municipality does with the answers. The dialogue's feedback "
                    "date and how feedback is given are shown with it."),
    )

    lowest_level = ParticipationLevel.CONSULTATION
    method_name = "survey"
    is_creatable = True
    form_builder = SurveyFormBuilder
    base_form_class = SurveyPageForm
    template = "wagtail_dialog/methods/survey_page.html"
    landing_page_template = "wagtail_dialog/methods/survey_receipt.html"
    # One preview: the form (the receipt needs a sent answer).
    preview_modes = [("", _("Survey"))]

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("questions", heading=_("Questions"), label=_("Question"), min_num=1),
        FieldPanel("next_steps"),
    ]
    answering_panels = [*MethodPage.date_panels,
                        MultiFieldPanel([FieldPanel("answer_limit"), FieldPanel("results_public")], heading=_("Answers"))]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Survey")),
        ObjectList(answering_panels, heading=_("Answering")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
        ObjectList(Page.settings_panels, heading=_("Settings")),
    ])

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def get_form_fields(self):
        return self.questions.all()

    def get_submission_class(self):
        return SurveySubmission

    @path("")
    @resident_form
    def answer(self, request):
        """The survey; a POST is a resident's answers."""
        return views.answer(self, request)

    @path(f"{views.RECEIPT_PATH}/")
    def receipt(self, request):
        return views.receipt(self, request)

    @path(f"{views.CHECK_EMAIL_PATH}/")
    def check_email(self, request):
        return views.receipt(self, request, check_email=True)

    @re_path(rf"^{views.CONFIRM_PATH}/(?P<token>[^/]+)/$")
    @resident_form
    def confirm(self, request, token):
        """The link in a once-per-email survey's email."""
        return views.confirm_page(self, request, token)

    def serve_submissions_list_view(self, request, *args, **kwargs):
        # Wagtail's Forms listing links here: our results count, chart, filter by channel and neutralise exports.
        return redirect("wagtail_dialog_survey_results", self.pk)

    def serve_preview(self, request, mode_name):
        request.is_preview = True
        return views.answer(self, request)

    def get_cached_paths(self):
        return ["/", f"/{views.RECEIPT_PATH}/", f"/{views.CHECK_EMAIL_PATH}/"]
