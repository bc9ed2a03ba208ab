"""A survey's answers as CSV and XLSX: one row per respondent, one column
per question, streamed in chunks (``contributions.exports``: formula cells
neutralised, XLSX spooled to disk when large).

An email question's answers are personal data: the column is there only for
those allowed to see personal data."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import exports as spreadsheets
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.surveys.answers import SurveySubmission
from wagtail_dialog.methods.surveys.questions import FREE_TEXT_TYPES, OTHER, QuestionType


@dataclass(frozen=True)
class Column:
    key: str
    heading: object
    value: object  # row (form_data, texts, submit_time, channel) -> cell
    personal: bool = False
    fields: tuple = ()


def columns(survey, personal_data=False):
    """The export's columns: when, how, then each question in the survey's order."""
    zone = timezone.get_current_timezone()
    channels = {value: str(label) for value, label in Channel.choices}
    yes_no = {True: force_str(_("Yes")), False: force_str(_("No"))}

    other = force_str(_("Other"))

    def answer(question):
        name, store = question.clean_name, "texts" if question.field_type in FREE_TEXT_TYPES else "form_data"
        ranked = question.field_type == QuestionType.RANKING

        def value(row):
            given = (row[store] or {}).get(name)
            if isinstance(given, list):
                # A ranking in its order, numbered; ticked choices as they were ticked.
                return ", ".join(f"{place}. {item}" if ranked else str(item) for place, item in enumerate(given, 1))
            if isinstance(given, bool):
                return yes_no[given]
            return other if given == OTHER else given

        return Column(name, question.label, value, personal=question.is_personal)

    def other_text(question):
        key = question.other_name
        return Column(key, f"{question.label} – {other}", lambda row: (row["texts"] or {}).get(key),
                      personal=question.is_personal)

    result = [
        Column("submit_time", capfirst(SurveySubmission._meta.get_field("submit_time").verbose_name),
               lambda row: spreadsheets.local_time(row["submit_time"], zone)),
        Column("channel", capfirst(SurveySubmission._meta.get_field("channel").verbose_name),
               lambda row: channels.get(row["channel"], row["channel"])),
    ]
    for question in survey.questions.all():
        if question.is_section:
            continue
        result.append(answer(question))
        if question.field_type == QuestionType.CHOICE_OTHER:
            result.append(other_text(question))
    return [column for column in result if personal_data or not column.personal]


#: The rows in lists, read as plain values: memory stays flat.
chunks = spreadsheets.values_chunker(("form_data", "texts", "submit_time", "channel"))


def csv_response(answers, columns, filename):
    return spreadsheets.csv_response(answers, columns, filename, chunker=chunks)


def xlsx_response(answers, columns, filename, title):
    return spreadsheets.xlsx_response(answers, columns, filename, title=title, chunker=chunks)
