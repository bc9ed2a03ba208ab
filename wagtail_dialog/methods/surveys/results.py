"""A survey's results, counted in the database: per question a table of
counts and whole percentages (which add up to 100 where each respondent gives
one answer), a chart of the same figures, the mean and spread of a scale, and
the written answers, searchable in Swedish.

Each question costs one GROUP BY query, whatever the number of answers: the
queries grow with the questions, never with the respondents.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connections, router
from django.db.models import Count
from django.db.models.fields.json import KT
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wagtail_dialog.followup.charts import bar_chart, whole_percentages
from wagtail_dialog.methods.surveys.answers import SurveySubmission, counted
from wagtail_dialog.methods.surveys.questions import FREE_TEXT_TYPES, OTHER, QuestionType, choice_list
from wagtail_dialog.search.database import matching

#: Questions a respondent answers with several choices: their shares are of the respondents, not of the answers.
MULTIPLE = frozenset({QuestionType.CHECKBOXES, QuestionType.MULTISELECT})


@dataclass
class Row:
    label: str
    count: int
    percent: int | None = None


@dataclass
class WrittenColumn:
    """A column of the written answers: a free-text question, or the "Other" part of a choice."""

    key: str
    label: str
    question: object


@dataclass
class QuestionResult:
    question: object
    answered: int
    rows: list = field(default_factory=list)
    #: For a scale: the mean of the answers given, and the number of points.
    mean: float | None = None
    #: For a number: (smallest, mean, largest).
    spread: tuple | None = None
    #: For a ranking: rows are (option, Borda points, times ranked first), best first.
    ranking: bool = False
    multiple: bool = False
    chart: object = None

    @property
    def mean_text(self):
        return number_format(round(self.mean, 1), 1) if self.mean is not None else ""


def answers_to(survey, channel=""):
    """The answers to ``survey``, of one channel if given."""
    answers = counted(SurveySubmission.objects.filter(page=survey))
    return answers.filter(channel=channel) if channel else answers


def respondents_by_channel(survey):
    return dict(counted(SurveySubmission.objects.filter(page=survey)).order_by().values_list("channel")
                .annotate(n=Count("pk")))


def _grouped(answers, name, boolean=False):
    """{stored value: count} of one single-answer question, unanswered as None."""
    rows = answers.order_by().values_list(KT(f"form_data__{name}")).annotate(n=Count("pk"))
    counts = {}
    for value, count in rows:
        value = _normalised(value, boolean)
        counts[value] = counts.get(value, 0) + count
    return counts


def _normalised(value, boolean=False):
    """A stored answer as the database hands it back, the same on every backend:
    SQLite gives a stored true as 1, PostgreSQL as "true"."""
    if value is None or value in ("", "[]", "null"):
        return None
    if boolean:
        return value in (True, 1, "1", "true")
    return str(value)


def _multiple(answers, name):
    """{choice: count} of a several-answers question: the stored lists unnested, whatever the place."""
    counts = {}
    for (value, _place), count in _listed(answers, name).items():
        counts[value] = counts.get(value, 0) + count
    return counts


def _listed(answers, name):
    """{(value, place from 0): count} of a question stored as a list (ticked choices, a ranking):
    one query that unnests the stored lists with their order."""
    connection = connections[router.db_for_read(SurveySubmission)]
    sql, params = answers.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(SurveySubmission._meta.db_table)
    if connection.vendor == "postgresql":
        query = (f"SELECT element, place - 1, COUNT(*) FROM {table}, jsonb_array_elements_text("
                 f"CASE WHEN jsonb_typeof({table}.form_data -> %s) = 'array' THEN {table}.form_data -> %s "
                 f"ELSE '[]'::jsonb END) WITH ORDINALITY AS ranked(element, place) "
                 f"WHERE {table}.id IN ({sql}) GROUP BY element, place")
        params = (name, name, *params)
    elif connection.vendor == "sqlite":
        path = '$."' + name.replace('"', "") + '"'
        query = (f"SELECT element.value, element.key, COUNT(*) FROM {table}, json_each({table}.form_data, %s) "
                 f"AS element WHERE json_type({table}.form_data, %s) = 'array' AND {table}.id IN ({sql}) "
                 f"GROUP BY element.value, element.key")
        params = (path, path, *params)
    else:
        counts = {}
        for values in answers.values_list("form_data", flat=True).iterator():
            for place, value in enumerate((values or {}).get(name) or ()):
                counts[(value, place)] = counts.get((value, place), 0) + 1
        return counts
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {(value, int(place)): count for value, place, count in cursor.fetchall()}


def ranking_result(question, answers, respondents):
    """A ranking by the Borda count: with n options, first place gives n points, second n − 1, and so on;
    an option left without a place gives none."""
    counts = _listed(answers, question.clean_name)
    options = choice_list(question.choices)
    options += sorted({option for option, _place in counts} - set(options))
    size = len(options)
    points = {option: 0 for option in options}
    first = {option: 0 for option in options}
    for (option, place), count in counts.items():
        points[option] += count * max(size - place, 0)
        if place == 0:
            first[option] += count
    ranked = sorted(options, key=lambda option: (-points[option], options.index(option)))
    result = QuestionResult(question, sum(first.values()), ranking=True,
                            rows=[Row(option, points[option], first[option]) for option in ranked])
    result.chart = bar_chart(question.label, [(row.label, row.count) for row in result.rows],
                             description=_("Borda points: the same figures are in the table below the chart."))
    return result


def question_result(question, answers, respondents):
    """The result of one closed question among ``answers`` (``respondents`` of them)."""
    name, kind = question.clean_name, question.field_type
    no_answer = _("No answer")
    if kind in MULTIPLE:
        counts = _multiple(answers, name)
        labels = [(choice, choice) for choice in choice_list(question.choices)]
        labels += [(value, value) for value in counts if value not in dict(labels)]  # choices removed since
        values = [counts.get(value, 0) for value, _label in labels]
        # Shares of the respondents (each may tick several, or none): they need not add up to 100.
        shares = [round(100 * count / respondents) if respondents else None for count in values]
        result = QuestionResult(question, respondents, multiple=True, rows=[
            Row(label, count, share) for (_value, label), count, share in zip(labels, values, shares, strict=True)
        ])
        return _with_chart(result, unit="%")
    if kind == QuestionType.RANKING:
        return ranking_result(question, answers, respondents)
    counts = _grouped(answers, name, boolean=kind == QuestionType.CHECKBOX)
    if kind == QuestionType.SCALE:
        labels = [(value, label) for value, label in question.scale_choices()]
    elif kind == QuestionType.CHECKBOX:
        labels = [(True, _("Yes")), (False, _("No"))]
    elif kind in (QuestionType.RADIO, QuestionType.DROPDOWN):
        labels = [(choice, choice) for choice in choice_list(question.choices)]
    elif kind == QuestionType.CHOICE_OTHER:
        labels = [(choice, choice) for choice in choice_list(question.choices)] + [(OTHER, _("Other"))]
    else:  # numbers and dates: each value given, in order
        labels = sorted(((value, value) for value in counts if value is not None), key=lambda pair: _sort_key(pair[0]))
    known = {value for value, _label in labels}
    labels += [(value, value) for value in counts if value is not None and value not in known]
    if counts.get(None):
        labels.append((None, no_answer))
    values = [counts.get(value, 0) for value, _label in labels]
    answered = respondents - counts.get(None, 0)
    result = QuestionResult(question, answered, rows=[
        Row(str(label), count, percent)
        for (_value, label), count, percent in zip(labels, values, whole_percentages(values, respondents), strict=True)
    ])
    if kind == QuestionType.SCALE and answered:
        total = sum(int(value) * counts.get(value, 0) for value, _label in labels if value and str(value).isdigit())
        given = sum(counts.get(value, 0) for value, _label in labels if value and str(value).isdigit())
        result.mean = total / given if given else None
    if kind == QuestionType.NUMBER:
        numbers = [(_decimal(value), count) for value, count in counts.items() if _decimal(value) is not None]
        if numbers:
            given = sum(count for _n, count in numbers)
            result.spread = (min(n for n, _c in numbers), sum(n * c for n, c in numbers) / given,
                             max(n for n, _c in numbers))
    if kind in (QuestionType.NUMBER, QuestionType.DATE):
        return result  # a table only: a bar per value given says little
    return _with_chart(result, unit="%")


def _decimal(value):
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _sort_key(value):
    number = _decimal(value)
    return (0, number, "") if number is not None else (1, 0, str(value))


def _with_chart(result, unit):
    result.chart = bar_chart(
        result.question.label, [(row.label, row.percent or 0) for row in result.rows], unit=unit,
        description=_("The same figures are in the table below the chart."),
    )
    return result


def results(survey, channel=""):
    """(number of respondents, [QuestionResult] for each closed question, [WrittenColumn])."""
    answers = answers_to(survey, channel)
    respondents = answers.count()
    closed, written = [], []
    for question in survey.questions.all():
        if question.is_section:
            continue
        if question.field_type in FREE_TEXT_TYPES:
            written.append(WrittenColumn(question.clean_name, question.label, question))
            continue
        closed.append(question_result(question, answers, respondents))
        if question.field_type == QuestionType.CHOICE_OTHER:
            written.append(WrittenColumn(question.other_name, f"{question.label} – {_('Other')}", question))
    return respondents, closed, written


def written_answers(survey, channel="", query=""):
    """The answers with any written text, newest first, matching ``query`` (Swedish search) if given."""
    answers = answers_to(survey, channel).exclude(texts={}).order_by("-submit_time", "-pk")
    return matching(answers, query) if query.strip() else answers
