"""The annual follow-up (årlig uppföljning): what the municipal board follows
up every year (Vara) and the committees report on (Trelleborg).

A dialog counts in the year it opened (``opens_on``) once it has opened and
been published (live now, or ever published: a dialog taken down after it
ended was still held). Information pages without an opening date are not
dialogs held. Every figure is counted from the data as it stands on the day the report
is made; contributions keep counting after their personal data is anonymised.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import Channel, ContributionStatus, get_contribution_model, get_dialog_model
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.types import DialogType
from wagtail_dialog.followup.evaluation import SelfAssessment, SurveyResponse, self_assessment_results, survey_results
from wagtail_dialog.methods.registry import methods


class FeedbackTiming(models.TextChoices):
    ON_TIME = "on-time", _("Given by the promised date")
    LATE = "late", _("Given after the promised date")
    OVERDUE = "overdue", _("Promised date passed, not given yet")
    NOT_YET_DUE = "not-yet-due", _("Promised date still to come")
    UNDATED = "undated", _("Given, no date was promised")
    NONE = "none", _("Neither promised by a date nor given")


#: The timings in which the promised date has come: the share given on time is counted among these.
DUE = (FeedbackTiming.ON_TIME, FeedbackTiming.LATE, FeedbackTiming.OVERDUE)


def feedback_timing(dialog, today):
    given = dialog.feedback_published_on
    if given and given > today:  # dated ahead: not given yet
        given = None
    due = dialog.feedback_due_on
    if given and due:
        return FeedbackTiming.ON_TIME if given <= due else FeedbackTiming.LATE
    if given:
        return FeedbackTiming.UNDATED
    if due:
        return FeedbackTiming.OVERDUE if due < today else FeedbackTiming.NOT_YET_DUE
    return FeedbackTiming.NONE


def held_dialogs(today, dialogs=None):
    """Those of ``dialogs`` (every dialog page by default) held or under way on
    ``today``: published once, and opened by then. An alias of a dialog
    elsewhere in the tree is the same dialog and is not counted again."""
    DialogPage = get_dialog_model()

    dialogs = DialogPage.objects.all() if dialogs is None else dialogs
    return dialogs.filter(
        Q(live=True) | Q(first_published_at__isnull=False), opens_on__lte=today, alias_of__isnull=True
    )


def years(today, dialogs=None):
    """The years in which dialogs opened, latest first."""
    opened = held_dialogs(today, dialogs).values_list("opens_on", flat=True)
    return sorted({day.year for day in opened}, reverse=True)


@dataclass
class AnnualReport:
    year: int
    today: object
    dialogs: list
    #: Pages that promised feedback this year without opening for contributions.
    promised_only: list
    by_level: list  # [(label, count)]
    by_body: list
    by_type: list
    contributions: int
    published: int
    by_channel: list
    #: Answers through the ways to take part (surveys and the like, methods.registry), by channel.
    answers_by_channel: list
    participants: int
    dialogs_with_participants: int
    feedback: list  # [(FeedbackTiming, count)]
    survey: list  # [evaluation.QuestionResult]
    survey_responses: int
    self_assessment: list  # [(principle, [(rating, count)])]
    dialogs_assessed: int

    @property
    def answers(self):
        return sum(count for _label, count in self.answers_by_channel)

    @property
    def answer_channels(self):
        """The channels answers came in by, without the empty ones."""
        return [(label, count) for label, count in self.answers_by_channel if count]

    @property
    def feedback_due(self):
        return sum(count for timing, count in self.feedback if timing in DUE)

    @property
    def feedback_on_time(self):
        return dict(self.feedback).get(FeedbackTiming.ON_TIME, 0)

    @property
    def feedback_on_time_share(self):
        """Percentage of the dialogs whose promised date has come that gave feedback by it; None without any."""
        return round(100 * self.feedback_on_time / self.feedback_due) if self.feedback_due else None


def _tally(values, choices):
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return [(choice.label, counts.get(choice.value, 0)) for choice in choices]


def annual_report(year, today, dialogs=None):
    """The follow-up of ``year``'s dialogs (among ``dialogs``, every dialog page
    by default), as the data stands on ``today``."""
    dialogs_given = dialogs
    dialogs = list(
        held_dialogs(today, dialogs)
        .filter(opens_on__year=year)
        .select_related("decision_body")
        .order_by("opens_on", "title", "pk")
    )
    pks = [dialog.pk for dialog in dialogs]

    # Counted per body, not per name: a body is known by its row.
    bodies, names = {}, {}
    for dialog in dialogs:
        bodies[dialog.decision_body_id] = bodies.get(dialog.decision_body_id, 0) + 1
        names[dialog.decision_body_id] = dialog.decision_body.name if dialog.decision_body else None

    contributions = get_contribution_model()._default_manager.filter(dialog__in=pks).exclude(
        status=ContributionStatus.SPAM
    )
    channel_counts = dict(contributions.order_by().values_list("channel").annotate(n=Count("pk")))
    counted = [dialog.participant_count for dialog in dialogs if dialog.participant_count is not None]
    # Feedback is counted for every dialog that promised it this year, also a
    # page that never opened for contributions (a consultation held some
    # other way): left out, a late promise would not count as late.
    DialogPage = get_dialog_model()
    promised_only = list(
        (DialogPage.objects.all() if dialogs_given is None else dialogs_given)
        .filter(Q(live=True) | Q(first_published_at__isnull=False), alias_of__isnull=True)
        .filter(opens_on__isnull=True, feedback_due_on__year=year)
        .select_related("decision_body")
        .order_by("feedback_due_on", "title", "pk")
    )
    for dialog in [*dialogs, *promised_only]:
        dialog.feedback_timing = feedback_timing(dialog, today)
        # Held this year, and still taking contributions on the report's day.
        dialog.still_open = bool(dialog.opens_on and dialog.opens_on <= today
                                 and (dialog.closes_on is None or dialog.closes_on >= today))
    timings = [dialog.feedback_timing for dialog in [*dialogs, *promised_only]]
    answer_counts = {}
    for method in methods():
        for channel, count in method.participants(dialogs).items():
            answer_counts[channel] = answer_counts.get(channel, 0) + count
    assessments = SelfAssessment.objects.filter(dialog__in=pks)
    survey = survey_results(SurveyResponse.objects.filter(dialog__in=pks))

    return AnnualReport(
        year=year,
        today=today,
        dialogs=dialogs,
        promised_only=promised_only,
        by_level=_tally((d.participation_level for d in dialogs), ParticipationLevel),
        by_body=[
            (names[body] or _("No decision body given"), count)
            # The most used first; "no decision body" last.
            for body, count in sorted(bodies.items(), key=lambda i: (names[i[0]] is None, -i[1], names[i[0]] or ""))
        ],
        by_type=_tally((d.dialog_type for d in dialogs), DialogType),
        contributions=sum(channel_counts.values()),
        published=contributions.filter(status=ContributionStatus.PUBLISHED).count(),
        by_channel=[(channel.label, channel_counts.get(channel.value, 0)) for channel in Channel],
        answers_by_channel=[(channel.label, answer_counts.get(channel.value, 0)) for channel in Channel],
        participants=sum(counted),
        dialogs_with_participants=len(counted),
        feedback=[(timing, timings.count(timing)) for timing in FeedbackTiming],
        survey=survey,
        # Every answer is required: each question's total is the number of responses.
        survey_responses=survey[0].total if survey else 0,
        self_assessment=self_assessment_results(assessments),
        dialogs_assessed=assessments.values("dialog").distinct().count(),
    )


def rows(report):
    """Every figure of ``report`` as (section, item, value) rows, for CSV and XLSX."""
    yield from ((_("Dialogs by participation level"), label, count) for label, count in report.by_level)
    yield from ((_("Dialogs by decision body"), label, count) for label, count in report.by_body)
    yield from ((_("Dialogs by type"), label, count) for label, count in report.by_type)
    yield (_("Contributions"), _("Contributions (spam not counted)"), report.contributions)
    yield (_("Contributions"), _("Published"), report.published)
    yield from ((_("Contributions by channel"), label, count) for label, count in report.by_channel)
    yield from ((_("Answers through the ways to take part by channel"), label, count)
                for label, count in report.answers_by_channel)
    yield (_("Participants"), _("People who took part, as counted"), report.participants)
    yield (_("Participants"), _("Dialogs with a count"), report.dialogs_with_participants)
    yield from ((_("Feedback"), timing.label, count) for timing, count in report.feedback)
    yield (_("Feedback"), _("Share given on time (%)"), report.feedback_on_time_share if report.feedback_due else "")
    yield (_("Participant survey"), _("Responses"), report.survey_responses)
    for result in report.survey:
        for answer, count in result.counts:
            yield (_("Participant survey"), f"{result.question.text} – {answer.label}", count)
    yield (_("Self-assessment"), _("Dialogs assessed"), report.dialogs_assessed)
    for principle, counts in report.self_assessment:
        for rating, count in counts:
            yield (_("Self-assessment"), f"{principle} – {rating.label}", count)
