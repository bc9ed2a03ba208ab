"""Reports → Evaluation: per dialog, what the participants answered in the
survey and the staff's self-assessment against the site's principles, for
those who edit the dialog."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin.annual_report import survey_sections
from wagtail_dialog.admin.report_access import ReportAccessMixin, ReportMenuItem, can_open_report
from wagtail_dialog.contributions.permissions import editable_dialogs, edits_dialogs
from wagtail_dialog.followup import evaluation


class SelfAssessmentForm(forms.Form):
    """A verdict and a comment for each of the site's principles; "Not assessed" records none."""

    def __init__(self, *args, principles, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.principles = list(principles)
        earlier = {assessment.principle_id: assessment for assessment in assessments}
        for principle in self.principles:
            before = earlier.get(principle.pk)
            self.fields[f"rating_{principle.pk}"] = forms.ChoiceField(
                label=principle.title,
                help_text=principle.explanation,
                choices=[*evaluation.SelfAssessmentRating.choices, ("", _("Not assessed"))],
                widget=forms.RadioSelect,
                required=False,
                initial=before.rating if before else "",
            )
            self.fields[f"comment_{principle.pk}"] = forms.CharField(
                label=_("Comment on “%(principle)s”") % {"principle": principle.title},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=4000,
                initial=before.comment if before else "",
            )

    def clean(self):
        cleaned = super().clean()
        for principle in self.principles:
            if cleaned.get(f"comment_{principle.pk}", "").strip() and not cleaned.get(f"rating_{principle.pk}"):
                self.add_error(f"rating_{principle.pk}", _("Choose an assessment for the comment to be saved with."))
        return cleaned

    def rows(self):
        return [(self[f"rating_{p.pk}"], self[f"comment_{p.pk}"]) for p in self.principles]

    def verdicts(self):
        """``{principle: (rating, comment)}`` for every principle; "" for one not assessed."""
        data = self.cleaned_data
        return {
            principle: (data.get(f"rating_{principle.pk}") or "", data.get(f"comment_{principle.pk}", "").strip())
            for principle in self.principles
        }


class EvaluationMixin(ReportAccessMixin, WagtailAdminTemplateMixin):
    header_icon = "list-ul"
    breadcrumbs_items = []  # like Wagtail's reports: the header shows the title


class EvaluationIndexView(EvaluationMixin, TemplateView):
    template_name = "wagtail_dialog/admin/evaluation/index.html"
    page_title = _("Evaluation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        dialogs = (
            editable_dialogs(self.request.user)
            .filter(opens_on__lte=today)
            .order_by("-opens_on", "title")
        )
        responses = dict(
            evaluation.SurveyResponse.objects.filter(dialog__in=dialogs).order_by().values_list("dialog")
            .annotate(n=Count("pk"))
        )
        assessed = set(evaluation.SelfAssessment.objects.filter(dialog__in=dialogs).values_list("dialog", flat=True))
        context["dialogs"] = [
            {
                "dialog": dialog,
                "url": reverse("wagtail_dialog_evaluation", args=[dialog.pk]),
                "responses": responses.get(dialog.pk, 0),
                "assessed": dialog.pk in assessed,
            }
            for dialog in dialogs
        ]
        return context


class DialogEvaluationView(EvaluationMixin, TemplateView):
    template_name = "wagtail_dialog/admin/evaluation/dialog.html"

    def dispatch(self, request, *args, **kwargs):
        if edits_dialogs(request.user):
            self.dialog = editable_dialogs(request.user).filter(pk=kwargs["dialog_id"]).first()
            if self.dialog is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Evaluation")

    def get_page_subtitle(self):
        return self.dialog.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtail_dialog_evaluation_index"), "label": gettext("Evaluation")},
            {"url": "", "label": self.dialog.title},
        ]

    def get_form(self, data=None):
        return SelfAssessmentForm(
            data,
            principles=evaluation.site_principles(self.dialog),
            assessments=self.dialog.self_assessments.all(),
        )

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            evaluation.record_self_assessment(self.dialog, form.verdicts(), request.user)
            messages.success(request, gettext("The self-assessment of “%(dialog)s” is saved.") % {
                "dialog": self.dialog.title})
            return HttpResponseRedirect(request.path)
        messages.error(request, gettext("The self-assessment could not be saved. See the errors below."))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        responses = evaluation.SurveyResponse.objects.filter(dialog=self.dialog)
        results = evaluation.survey_results(responses)
        context.update(
            dialog=self.dialog,
            responses=results[0].total if results else 0,
            sections=survey_sections(results),
            # In alphabetical order, never in the order they came: see ``evaluation``.
            suggestions=responses.exclude(improvement="").order_by("improvement").values_list(
                "improvement", flat=True),
            survey_url=self.dialog.survey_url(self.request) if self.dialog.live and self.dialog.survey_open else "",
            form=form or self.get_form(),
            assessments=self.dialog.self_assessments.select_related("assessed_by"),
            settings_url=reverse("wagtailsettings:edit", args=["wagtail_dialog", "dialogsitesettings"]),
        )
        return context


def menu_item():
    return ReportMenuItem(
        _("Evaluation"), reverse("wagtail_dialog_evaluation_index"), name="dialog-evaluation",
        icon_name="list-ul", order=652,
    )


def evaluation_buttons(page, user, view_name=None, next_url=None):
    """The "Evaluation" item in a dialog page's actions (the page header and the
    listing's "more" menu), for those who may open the page's evaluation report."""
    from wagtail.admin.widgets import Button

    from wagtail_dialog.dialogs.pages import DialogPage

    if page.specific_class is not DialogPage:
        return
    # The view's own question, not the page's can_edit(): see report_access.
    if can_open_report(user, page):
        yield Button(
            _("Evaluation"), reverse("wagtail_dialog_evaluation", args=[page.pk]), icon_name="list-ul", priority=80
        )
