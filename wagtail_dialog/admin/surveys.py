"""Reports → Surveys: the surveys a user manages (those below the dialogs
they moderate: who may publish the dialog, and the "Dialog moderators"
group), each with its results, the form staff type paper, meeting and phone
answers into, and its answers as CSV and XLSX."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin import method_access
from wagtail_dialog.contributions.forms import HONEYPOT
from wagtail_dialog.contributions.ids import RowIdConverter  # noqa: F401  (registers <row_id:> and <year:>)
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.contributions.permissions import can_see_personal_data
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.methods.surveys import exports, results
from wagtail_dialog.methods.surveys.answers import record
from wagtail_dialog.methods.surveys.pages import SurveyPage
from wagtail_dialog.methods.surveys.questions import QuestionType, answer_form_class, applicable_steps
from wagtail_dialog.search.themes import themes

#: The channels staff type answers in from.
STAFF_CHANNELS = [choice for choice in Channel.choices if choice[0] != Channel.WEB]


def managed_surveys(user):
    """The surveys below the dialogs ``user`` moderates, newest first."""
    return method_access.managed(SurveyPage, user)


def filter_form_pages(user, editable_forms):
    """Wagtail's Forms listing: the survey pages among ``editable_forms`` only where ``user`` manages them."""
    surveys = SurveyPage.objects.all()
    return editable_forms.exclude(pk__in=surveys.values("pk")) | editable_forms.filter(
        pk__in=managed_surveys(user).values("pk"))


can_manage = method_access.can_manage


SurveysMenuItem = method_access.MethodsMenuItem


def menu_item():
    return SurveysMenuItem(_("Surveys"), reverse("wagtail_dialog_surveys"), name="dialog-surveys",
                           icon_name="form", order=653)


class SurveyMixin(WagtailAdminTemplateMixin):
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(SurveyPage, pk=kwargs["survey_id"])
        if not can_manage(request.user, self.survey):
            return permission_denied(request)
        self.dialog = self.survey.dialog
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtail_dialog_surveys"), "label": gettext("Surveys")},
            {"url": reverse("wagtail_dialog_survey_results", args=[self.survey.pk]), "label": self.survey.title},
            {"url": "", "label": self.get_page_title()},
        ]


class SurveyIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_dialog/admin/surveys/index.html"
    page_title = _("Surveys")
    header_icon = "form"
    breadcrumbs_items = []

    def dispatch(self, request, *args, **kwargs):
        if not SurveysMenuItem("", "").is_shown(request):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        surveys = list(managed_surveys(self.request.user).annotate(answers=Count("submissions"))
                       .order_by("-first_published_at", "-pk"))
        parents = {dialog.path: dialog for dialog in DialogPage.objects.filter(
            path__in={survey.path[: -SurveyPage.steplen] for survey in surveys}).only("title", "path")}
        for survey in surveys:
            survey.parent_dialog = parents.get(survey.path[: -SurveyPage.steplen])
        context["surveys"] = surveys
        return context


def _channel(request):
    channel = request.GET.get("channel", "")
    return channel if channel in Channel.values else ""


class SurveyResultsView(SurveyMixin, TemplateView):
    template_name = "wagtail_dialog/admin/surveys/results.html"
    print_template_name = "wagtail_dialog/admin/surveys/print.html"
    page_title = _("Results")
    printable = False

    def get(self, request, *args, **kwargs):
        if self.printable:
            return TemplateResponse(request, self.print_template_name, self.get_context_data(**kwargs))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        channel = _channel(self.request)
        query = self.request.GET.get("q", "")[:200]
        respondents, closed, written = results.results(self.survey, channel)
        personal = can_see_personal_data(self.request.user, self.dialog)
        shown_written = [column for column in written if personal or not column.question.is_personal]
        answers = results.written_answers(self.survey, channel, query)[:200] if shown_written else []
        by_channel = results.respondents_by_channel(self.survey)
        context.update(
            survey=self.survey, dialog=self.dialog, respondents=respondents, closed=closed,
            written_questions=shown_written, written_answers=answers, query=query, channel=channel,
            channels=[(value, label, by_channel.get(value, 0)) for value, label in Channel.choices],
            total=sum(by_channel.values()),
            indicative=self.survey.answer_limit != "email",
            add_url=reverse("wagtail_dialog_survey_add_answer", args=[self.survey.pk]),
            export_url=reverse("wagtail_dialog_survey_export", args=[self.survey.pk]),
            print_url=reverse("wagtail_dialog_survey_print", args=[self.survey.pk]),
            themes_url=reverse("wagtail_dialog_survey_themes", args=[self.survey.pk]),
            results_url=reverse("wagtail_dialog_survey_results", args=[self.survey.pk]),
        )
        return context


class SurveyThemesView(SurveyMixin, TemplateView):
    """The most used words and phrases in the written answers (``search.themes``), each
    leading to the answers that use it: worked out when asked for, as it reads every answer."""

    template_name = "wagtail_dialog/admin/surveys/themes.html"
    page_title = _("Themes in the written answers")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        channel = _channel(self.request)
        # Not the answers to questions that ask who someone is (a name is not a theme), nor web addresses.
        private = {q.clean_name for q in self.survey.questions.all()
                   if q.is_personal or q.field_type == QuestionType.URL}
        answers = results.written_answers(self.survey, channel).values_list("texts", flat=True)
        texts = [" ".join(str(text) for key, text in (written or {}).items() if key not in private)
                 for written in answers.iterator(chunk_size=2000)]
        words, phrases = themes(texts)
        results_url = reverse("wagtail_dialog_survey_results", args=[self.survey.pk])

        def linked(found):
            return [{"theme": theme, "url": f"{results_url}?{urlencode({'q': theme.label, 'channel': channel})}"}
                    for theme in found]

        context.update(survey=self.survey, total=len(texts), words=linked(words), phrases=linked(phrases),
                       results_url=results_url)
        return context


def staff_answer_form(survey, data=None):
    """The survey's own form, without the bot trap, with the channel the answer came by."""
    questions = list(survey.get_form_fields())
    if data is not None:
        # The steps a paper form's answers lead to: a skipped section's questions are not asked for.
        questions = [q for _section, step in applicable_steps(questions, dict(data.lists())) for q in step]
    form = answer_form_class(questions)(data, page=survey)
    form.fields.pop(HONEYPOT, None)
    form.fields = {"channel": forms.ChoiceField(label=_("Came in by"), choices=STAFF_CHANNELS),
                   **form.fields}
    return form


class SurveyAddAnswerView(SurveyMixin, TemplateView):
    template_name = "wagtail_dialog/admin/surveys/add_answer.html"
    page_title = _("Type in an answer")

    def post(self, request, *args, **kwargs):
        form = staff_answer_form(self.survey, request.POST)
        if form.is_valid():
            record(self.survey, form, channel=form.cleaned_data["channel"], entered_by=request.user)
            messages.success(request, gettext("The answer is saved. Type in the next one below."))
            # The next answer probably came the same way.
            return HttpResponseRedirect(f"{request.path}?channel={form.cleaned_data['channel']}")
        messages.error(request, gettext("The answer could not be saved. See the errors below."))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            form = staff_answer_form(self.survey)
            form.fields["channel"].initial = _channel(self.request) or Channel.PAPER
        context.update(survey=self.survey, form=form,
                       results_url=reverse("wagtail_dialog_survey_results", args=[self.survey.pk]))
        return context


class SurveyExportView(SurveyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format", "csv")
        if kind not in ("csv", "xlsx"):
            raise Http404
        channel = _channel(request)
        personal = can_see_personal_data(request.user, self.dialog)
        columns = exports.columns(self.survey, personal_data=personal)
        answers = results.answers_to(self.survey, channel).order_by("submit_time", "pk")
        filename = slugify(f"{self.survey.title}-{channel}" if channel else self.survey.title) or "survey"
        if kind == "csv":
            return exports.csv_response(answers, columns, filename)
        return exports.xlsx_response(answers, columns, filename, title=self.survey.title)


urlpatterns = [
    path("dialog-surveys/", SurveyIndexView.as_view(), name="wagtail_dialog_surveys"),
    path("dialog-surveys/<row_id:survey_id>/", SurveyResultsView.as_view(), name="wagtail_dialog_survey_results"),
    path("dialog-surveys/<row_id:survey_id>/print/", SurveyResultsView.as_view(printable=True),
         name="wagtail_dialog_survey_print"),
    path("dialog-surveys/<row_id:survey_id>/answers/add/", SurveyAddAnswerView.as_view(),
         name="wagtail_dialog_survey_add_answer"),
    path("dialog-surveys/<row_id:survey_id>/export/", SurveyExportView.as_view(), name="wagtail_dialog_survey_export"),
    path("dialog-surveys/<row_id:survey_id>/themes/", SurveyThemesView.as_view(), name="wagtail_dialog_survey_themes"),
]


def survey_buttons(page, user, view_name=None, next_url=None):
    """"Results" and "Type in an answer" in a survey page's actions, for those who manage it."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not SurveyPage or not can_manage(user, page.specific_deferred):
        return
    yield Button(_("Results"), reverse("wagtail_dialog_survey_results", args=[page.pk]), icon_name="form",
                 priority=80)
    yield Button(_("Type in an answer"), reverse("wagtail_dialog_survey_add_answer", args=[page.pk]),
                 icon_name="plus", priority=81)
