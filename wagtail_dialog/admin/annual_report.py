"""Reports → Annual follow-up: one year's dialogs for the municipal board,
each figure as a table and an SVG chart of the same numbers; exportable to
XLSX and CSV, and a printable page without the admin around it."""

from dataclasses import dataclass

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin.report_access import ReportAccessMixin, ReportMenuItem
from wagtail_dialog.contributions import exports
from wagtail_dialog.contributions.permissions import editable_dialogs
from wagtail_dialog.followup import reports
from wagtail_dialog.followup.charts import bar_chart, whole_percentages

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass
class Section:
    """One figure of the report: a heading, (label, number) rows, their chart."""

    id: str
    heading: str
    label_heading: str  # what the rows are: "Channel", "Answer"
    rows: list
    value_heading: str
    total: int | None = None  # given: the table also shows each row's share of it
    note: str = ""

    def __post_init__(self):
        self.chart = bar_chart(
            self.heading, self.rows, description=gettext("The same figures are in the table below the chart.")
        )

    @property
    def table(self):
        shares = whole_percentages([value for _label, value in self.rows], self.total)
        return [(label, value, share) for (label, value), share in zip(self.rows, shares)]


def survey_sections(results, with_principles=False):
    """A section per survey question (``evaluation.survey_results``), its note
    the principle the question checks when ``with_principles``."""
    return [
        Section(f"survey-{index}", str(result.question.text), gettext("Answer"),
                [(answer.label, count) for answer, count in result.counts], gettext("Number of answers"),
                result.total, note=str(result.question.principle) if with_principles else "")
        for index, result in enumerate(results)
    ]


@dataclass
class Group:
    """Sections under a common heading (the survey's questions, the principles)."""

    heading: str
    intro: str
    sections: list

    @property
    def section_heading_level(self):
        return 3 if self.heading else 2


def groups(report):
    dialogs = gettext("Dialogs")
    held = len(report.dialogs)
    figures = Group("", "", [
        Section("levels", gettext("Dialogs by participation level"), gettext("Participation level"),
                report.by_level, dialogs, held),
        Section("bodies", gettext("Dialogs by decision body"), gettext("Decision body"),
                report.by_body, dialogs, held),
        Section("types", gettext("Dialogs by type"), gettext("Type of dialogue"), report.by_type, dialogs, held),
        Section("channels", gettext("Contributions by channel"), gettext("Channel"), report.by_channel,
                gettext("Contributions"), report.contributions, note=gettext("Spam is not counted.")),
        Section("feedback", gettext("Feedback to participants"), gettext("Feedback"),
                [(timing.label, count) for timing, count in report.feedback], dialogs, held),
    ])
    survey = Group(
        gettext("The participants' survey"),
        ngettext("%(count)d anonymous response to the year's dialogs.",
                 "%(count)d anonymous responses to the year's dialogs.", report.survey_responses)
        % {"count": report.survey_responses},
        survey_sections(report.survey, with_principles=True),
    )
    assessment = Group(
        gettext("Self-assessment against the principles"),
        ngettext("%(count)d dialog assessed by staff.", "%(count)d dialogs assessed by staff.",
                 report.dialogs_assessed) % {"count": report.dialogs_assessed},
        [
            Section(f"principle-{index}", principle, gettext("Assessment"),
                    [(rating.label, count) for rating, count in counts], gettext("Dialogs"),
                    sum(count for _rating, count in counts))
            for index, (principle, counts) in enumerate(report.self_assessment)
        ],
    )
    return [figures, survey, assessment]


class AnnualReportView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_dialog/admin/annual_report/index.html"
    print_template_name = "wagtail_dialog/admin/annual_report/print.html"
    page_title = _("Annual follow-up")
    header_icon = "doc-full"
    printable = False
    breadcrumbs_items = []  # Wagtail's reports have none either: the header shows the title

    def get(self, request, *args, year=None, **kwargs):
        today = timezone.localdate()
        # The dialogs the user edits: all of them for those who edit every dialog
        # (the municipality's own account), never a dialog the user cannot open.
        dialogs = editable_dialogs(request.user)
        self.years = reports.years(today, dialogs)
        if year is None:
            year = self.years[0] if self.years else today.year
        elif not 1900 <= year <= 9999:
            raise Http404
        self.year = year
        self.report = reports.annual_report(year, today, dialogs)
        export = request.GET.get("export")
        if export in EXPORT_FORMATS:
            return self.export(export)
        if self.printable:
            return TemplateResponse(request, self.print_template_name, self.get_context_data(**kwargs))
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.year)

    def export(self, export):
        header = [gettext("Section"), gettext("Item"), gettext("Value")]
        table = [(str(section), str(item), value) for section, item, value in reports.rows(self.report)]
        name = gettext("annual follow-up")
        filename = f"{slugify(name)}-{self.year}"
        title = f"{gettext('Annual follow-up')} {self.year}"
        if export == "csv":
            return exports.table_csv_response(header, table, filename)
        return exports.table_xlsx_response(header, table, filename, title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        here = reverse("wagtail_dialog_annual_report_year", args=[self.year])
        context.update(
            report=self.report,
            groups=groups(self.report),
            years=[(year, reverse("wagtail_dialog_annual_report_year", args=[year])) for year in self.years],
            year=self.year,
            csv_url=f"{here}?export=csv",
            xlsx_url=f"{here}?export=xlsx",
            print_url=reverse("wagtail_dialog_annual_report_print", args=[self.year]),
            report_url=here,
        )
        return context


def menu_item():
    return ReportMenuItem(
        _("Annual follow-up"), reverse("wagtail_dialog_annual_report"), name="annual-follow-up",
        icon_name="doc-full", order=651,
    )
