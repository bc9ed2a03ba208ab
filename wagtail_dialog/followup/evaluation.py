"""Evaluation (utvärdering): every dialog is evaluated from the participants'
experience and internally (Alingsås), so the next one is better (Vara, Hagfors).

- The **participant survey** is short and anonymous: four questions grounded
  in the principles (did you understand how much you could influence, was it
  accessible to you, did you get feedback, would you take part again) and an
  optional "what could we do better". Nothing ties an answer to a person or a
  contribution: no name, no address, no date but the month, and staff see the
  written answers in alphabetical order, not in the order they came. The
  written answers are emptied with the dialog's personal data (``retention``).
- The **self-assessment** is the staff's own verdict on the dialog against the
  municipality's principles, which an administrator enters once per site
  (Settings → Citizen dialogue), e.g. Vara's four or Hagfors' ten.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from wagtail_dialog.followup.charts import whole_percentages

#: The longest "what could we do better" a survey accepts, in characters.
IMPROVEMENT_MAX_LENGTH = 2000


class SurveyAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    DONT_KNOW = "dont-know", _("Don't know")


@dataclass(frozen=True)
class SurveyQuestion:
    field: str
    text: Promise
    #: Why the question is asked: the principle it checks.
    principle: Promise
    #: Asked only once the dialog's feedback is published: before that, no
    #: participant can have been told what came of it.
    after_feedback: bool = False


SURVEY_QUESTIONS = (
    SurveyQuestion(
        "understood_influence",
        _("Did you understand how much you could influence the decision?"),
        _("It must be clear how much influence residents can have and how the result will be used."),
    ),
    SurveyQuestion(
        "accessible",
        _("Was it easy for you to take part?"),
        _("Citizen dialogues are to be accessible to all."),
    ),
    SurveyQuestion(
        "got_feedback",
        _("Have you been told what came of the dialogue?"),
        _("The result always goes back to those who took part."),
        after_feedback=True,
    ),
    SurveyQuestion(
        "take_part_again",
        _("Would you take part in a dialogue like this again?"),
        _("Dialogues build trust in the process and the elected representatives."),
    ),
)


def this_month():
    return timezone.localdate().replace(day=1)


def survey_questions(dialog):
    """The questions a participant of ``dialog`` is asked today, in order."""
    return [question for question in SURVEY_QUESTIONS if not question.after_feedback or dialog.feedback_given]


def _answer_field(question):
    # Empty: the question was not asked (see SurveyQuestion.after_feedback).
    return models.CharField(question.text, max_length=10, choices=SurveyAnswer.choices, blank=question.after_feedback)


class SurveyResponse(models.Model):
    """One participant's anonymous answers about one dialog."""

    dialog = models.ForeignKey(
        "wagtail_dialog.DialogPage", verbose_name=_("dialog"), on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    # Only the month: a day, let alone a time, could be matched against a
    # contribution's on a dialog that gets few.
    month = models.DateField(_("month answered"), default=this_month, editable=False)
    understood_influence = _answer_field(SURVEY_QUESTIONS[0])
    accessible = _answer_field(SURVEY_QUESTIONS[1])
    got_feedback = _answer_field(SURVEY_QUESTIONS[2])
    take_part_again = _answer_field(SURVEY_QUESTIONS[3])
    improvement = models.TextField(_("what could we do better"), blank=True)

    class Meta:
        # Never in the order answered (that order could be matched too).
        ordering = ["dialog", "improvement"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.dialog_id} {self.month:%Y-%m}"


class SelfAssessmentRating(models.TextChoices):
    MET = "met", _("Met")
    MOSTLY = "mostly", _("Mostly met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not-met", _("Not met")


class EvaluationPrinciple(Orderable):
    """A principle of the municipality's own that each dialog is assessed against."""

    settings = ParentalKey(
        "wagtail_dialog.DialogSiteSettings", on_delete=models.CASCADE, related_name="evaluation_principles"
    )
    title = models.CharField(_("principle"), max_length=255)
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def __str__(self):
        return self.title


class SelfAssessment(models.Model):
    """The staff's verdict on one dialog against one principle."""

    dialog = models.ForeignKey(
        "wagtail_dialog.DialogPage", verbose_name=_("dialog"), on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    # The principle's words are kept with the verdict: a principle edited or
    # removed later must not change what an earlier assessment said.
    principle = models.ForeignKey(
        EvaluationPrinciple, verbose_name=_("principle"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    principle_title = models.CharField(_("principle"), max_length=255)
    rating = models.CharField(_("assessment"), max_length=10, choices=SelfAssessmentRating.choices)
    comment = models.TextField(_("what went well, what to do differently"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    class Meta:
        ordering = ["dialog", "pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["dialog", "principle"], name="wagtail_dialog_one_assessment_per_principle")
        ]

    def __str__(self):
        return f"{self.principle_title}: {self.get_rating_display()}"


def record_response(dialog, answers, improvement=""):
    """Store one participant's answers (``{field: SurveyAnswer}``); a question
    asked only after feedback (``SurveyQuestion.after_feedback``) and not
    answered stays empty: it was not asked."""
    return SurveyResponse.objects.create(
        dialog=dialog, improvement=improvement,
        **{
            question.field: answers.get(question.field, "") if question.after_feedback else answers[question.field]
            for question in SURVEY_QUESTIONS
        },
    )


@dataclass
class QuestionResult:
    question: SurveyQuestion
    #: (answer, count), in the order of SurveyAnswer.
    counts: list
    total: int

    def share(self, answer):
        """Percentage of the answers that were ``answer``, whole; a question's shares add up to 100."""
        shares = whole_percentages([count for _answer, count in self.counts], self.total)
        return dict(zip([answer for answer, _count in self.counts], shares)).get(answer) or 0


def survey_results(responses):
    """Per question, how many gave each answer among ``responses`` (a queryset).
    A question's total counts only the responses it was asked in."""
    fields = [question.field for question in SURVEY_QUESTIONS]
    tallies = {field: Counter() for field in fields}
    # One row per combination, however many responses: counted in the database.
    for row in responses.order_by().values(*fields).annotate(n=models.Count("pk")):
        for field in fields:
            tallies[field][row[field]] += row["n"]
    results = []
    for question in SURVEY_QUESTIONS:
        counts = [(answer, tallies[question.field][answer.value]) for answer in SurveyAnswer]
        results.append(QuestionResult(question, counts, sum(count for _answer, count in counts)))
    return results


def site_principles(dialog):
    """The principles of the dialog's site, in their order (none without a site)."""
    # A dialog outside every site's tree has no principles: another site's are not its own.
    site = dialog.get_site()
    if site is None:
        return EvaluationPrinciple.objects.none()
    return EvaluationPrinciple.objects.filter(settings__site=site).order_by("sort_order", "pk")


def record_self_assessment(dialog, verdicts, user):
    """Store the staff's verdicts: ``{principle: (rating, comment)}``; a rating
    of "" takes an earlier verdict back. Only changed verdicts are stored, so
    each keeps who made it and when."""
    from django.db import transaction

    now = timezone.now()
    earlier = {assessment.principle_id: assessment for assessment in dialog.self_assessments.all()}
    with transaction.atomic():
        for principle, (rating, comment) in verdicts.items():
            before = earlier.get(principle.pk)
            if not rating:
                if before:
                    before.delete()
            elif before is None:
                SelfAssessment.objects.create(dialog=dialog, principle=principle, principle_title=principle.title,
                                              rating=rating, comment=comment, assessed_by=user, assessed_at=now)
            elif (before.rating, before.comment) != (rating, comment):
                before.rating, before.comment, before.assessed_by, before.assessed_at = rating, comment, user, now
                before.principle_title = principle.title
                before.save()


def self_assessment_results(assessments):
    """(principle title, [(rating, count)]) for ``assessments`` (a queryset), by principle."""
    tallies, order = {}, {}
    rows = assessments.order_by().values("principle_title", "principle__sort_order", "rating")
    for row in rows.annotate(n=models.Count("pk")):
        title, position = row["principle_title"], row["principle__sort_order"]
        tallies.setdefault(title, Counter())[row["rating"]] += row["n"]
        # The site's order; principles removed since then last.
        order[title] = min(order.get(title, (1, 0)), (0, position) if position is not None else (1, 0))
    return [
        (title, [(rating, tallies[title][rating.value]) for rating in SelfAssessmentRating])
        for title in sorted(tallies, key=lambda title: (order[title], title))
    ]
