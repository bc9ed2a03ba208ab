"""A survey's questions: Wagtail's form builder fields, with what a municipal
survey needs besides Wagtail's own types (a scale with end labels, a choice
with "Other: ___", a ranking, and section headings that split the survey into
steps, each perhaps shown only after a given answer), and the form a resident
answers them in.

The form is Wagtail's ``FormBuilder`` output on top of the resident forms' own
base (``contributions.forms.ResidentForm``): the same bot trap, text rules and
error summary as the contribution form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.forms.utils import get_field_clean_name

from wagtail_dialog.contributions.forms import HONEYPOT, PlainEmailField, PlainTextField, ResidentForm


class QuestionType(models.TextChoices):
    SINGLELINE = "singleline", _("Short text")
    MULTILINE = "multiline", _("Long text")
    EMAIL = "email", _("Email address")
    NUMBER = "number", _("Number")
    URL = "url", _("Web address")
    DATE = "date", _("Date")
    CHECKBOX = "checkbox", _("One checkbox (yes/no)")
    CHECKBOXES = "checkboxes", _("Checkboxes (several answers)")
    RADIO = "radio", _("Radio buttons (one answer)")
    CHOICE_OTHER = "choice_other", _("Radio buttons with “Other: ___”")
    DROPDOWN = "dropdown", _("Drop-down list (one answer)")
    MULTISELECT = "multiselect", _("List (several answers)")
    SCALE = "scale", _("Scale (1–5 or 1–7)")
    RANKING = "ranking", _("Ranking (up to seven options)")
    SECTION = "section", _("Section heading (starts a new step)")


#: Answers written in the resident's own words: they may name someone, so they
#: are kept apart from the other answers and emptied at the retention date.
FREE_TEXT_TYPES = frozenset({QuestionType.SINGLELINE, QuestionType.MULTILINE, QuestionType.EMAIL, QuestionType.URL})
#: Types with choices the editor writes.
WRITTEN_CHOICE_TYPES = frozenset({QuestionType.CHECKBOXES, QuestionType.RADIO, QuestionType.CHOICE_OTHER,
                                  QuestionType.DROPDOWN, QuestionType.MULTISELECT, QuestionType.RANKING})
#: The free-text part of a choice with "Other": a field of its own, stored with the written answers.
OTHER_TEXT = "other_text"
#: What a choice with "Other" stores when "Other" is chosen (the text is stored apart).
OTHER = "__other__"
MAX_RANKED = 7

#: Names the answer form uses for itself; a question whose label would give one of them gets another.
TAKEN_NAMES = frozenset({HONEYPOT, "channel", "submit_time", "wd_state", "wd_back", "wd_email"})
SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 5000


class SurveyQuestion(AbstractFormField):
    """One question of a survey: label, help text, required, and its type's settings."""

    page = ParentalKey("wagtail_dialog.SurveyPage", on_delete=models.CASCADE, related_name="questions")
    # Redeclared with the survey's own types (the builder's and a municipal survey's).
    field_type = models.CharField(_("type of question"), max_length=16, choices=QuestionType.choices)
    field_type.required_on_save = True
    scale_points = models.PositiveSmallIntegerField(
        _("points on the scale"), choices=[(5, "1–5"), (7, "1–7")], default=5
    )
    scale_low_label = models.CharField(_("label of the lowest point"), max_length=60, blank=True,
                                       help_text=_("E.g. “Very dissatisfied”."))
    scale_high_label = models.CharField(_("label of the highest point"), max_length=60, blank=True,
                                        help_text=_("E.g. “Very satisfied”."))
    shown_if_label = models.CharField(
        _("show this step only when the answer to"), max_length=255, blank=True,
        help_text=_("For a section heading: the label of an earlier question, as written there."),
    )
    shown_if_value = models.CharField(
        _("is"), max_length=255, blank=True, help_text=_("The answer, as written among that question's choices."),
    )
    personal = models.BooleanField(
        _("asks for personal data"), default=False,
        help_text=_("Tick if the question asks for a name, an address, a phone number or the like: the privacy "
                    "notice then says so. An email question always counts as personal data."),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices",
                   help_text=_("One choice per line. For radio buttons, checkboxes, lists and rankings "
                               "(at most seven).")),
        FieldRowPanel([FieldPanel("scale_points"), FieldPanel("scale_low_label"), FieldPanel("scale_high_label")],
                      heading=_("Scale")),
        MultiFieldPanel([FieldPanel("shown_if_label"), FieldPanel("shown_if_value")],
                        heading=_("Condition (section headings)")),
        FieldPanel("personal"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def get_field_clean_name(self):
        name = get_field_clean_name(self.label) or "question"
        return f"{name}_answer" if name in TAKEN_NAMES or name.endswith("_other") else name

    def clean(self):
        super().clean()
        choices = choice_list(self.choices)
        if self.field_type in WRITTEN_CHOICE_TYPES and len(choices) < 2:
            raise ValidationError({"choices": _("Write at least two choices, one per line.")})
        if self.field_type == QuestionType.RANKING and len(choices) > MAX_RANKED:
            raise ValidationError({"choices": _("A ranking can have at most seven options.")})
        if bool(self.shown_if_label.strip()) != bool(self.shown_if_value.strip()):
            raise ValidationError({"shown_if_value": _("Give both the question and the answer, or neither.")})
        if self.personal and self.field_type not in FREE_TEXT_TYPES:
            raise ValidationError({"personal": _(
                "Only a question answered in writing can ask for personal data: use a short or long text.")})
        if self.shown_if_label.strip() and self.field_type != QuestionType.SECTION:
            raise ValidationError({"shown_if_label": _("Only a section heading can be shown on a condition.")})

    @property
    def is_section(self):
        return self.field_type == QuestionType.SECTION

    @property
    def is_free_text(self):
        return self.field_type in FREE_TEXT_TYPES

    @property
    def is_personal(self):
        return self.personal or self.field_type == QuestionType.EMAIL

    @property
    def other_name(self):
        """The name of a choice with "Other"'s written part."""
        return f"{self.clean_name or self.get_field_clean_name()}_other"

    def scale_choices(self):
        """(value, label) for each point: the ends carry their labels."""
        points = self.scale_points or 5
        labels = {1: self.scale_low_label, points: self.scale_high_label}
        return [(str(point), f"{point} – {labels[point]}" if labels.get(point) else str(point))
                for point in range(1, points + 1)]


def choice_list(text):
    """The editor's choices, one per line (or separated by commas, as Wagtail's builder reads them)."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    if len(lines) <= 1:
        lines = [part.strip() for part in (text or "").split(",")]
    return [line for line in lines if line]


# --- Ranking ---------------------------------------------------------------------


class RankingWidget(forms.MultiWidget):
    """A place (1, 2, 3 …) chosen for each option from a list: no JavaScript needed."""

    def __init__(self, options, attrs=None):
        self.options = options
        places = [("", "–")] + [(str(place), str(place)) for place in range(1, len(options) + 1)]
        super().__init__([forms.Select(choices=places) for _option in options], attrs)

    def decompress(self, value):
        ranked = list(value or [])
        return [str(ranked.index(option) + 1) if option in ranked else "" for option in self.options]


class RankingField(forms.Field):
    """The options in the order the resident ranked them (those left without a place last, not stored)."""

    default_error_messages = {
        "invalid": _("Choose a place from the list for each option."),
        "twice": _("Each place can go to one option only: place %(place)s is given twice."),
        "gap": _("Number the places from 1 without gaps: 1, 2, 3 …"),
    }

    def __init__(self, options, **kwargs):
        self.options = list(options)
        kwargs.setdefault("widget", RankingWidget(self.options))
        super().__init__(**kwargs)

    def to_python(self, value):
        places = {}
        for option, place in zip(self.options, value or [], strict=False):
            if place in (None, ""):
                continue
            place = str(place)
            # ASCII digits only: "²" is a digit to Python, but not a number int() reads.
            if not (place.isascii() and place.isdigit()) or not 1 <= int(place) <= len(self.options):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if int(place) in places:
                raise ValidationError(self.error_messages["twice"], code="twice", params={"place": int(place)})
            places[int(place)] = option
        if places and sorted(places) != list(range(1, len(places) + 1)):
            raise ValidationError(self.error_messages["gap"], code="gap")
        return [places[place] for place in sorted(places)]


# --- The form ----------------------------------------------------------------------


class SurveyAnswerForm(BaseForm, ResidentForm):
    """A resident's answers: the builder's fields, then the bot trap."""

    honeypot_message = _("Your answers could not be sent. This field must be empty: clear it and send again.")

    def anchor_for(self, name):
        bound = self[name]
        kind = getattr(bound.field, "question_type", None)
        if kind in (QuestionType.RADIO, QuestionType.SCALE, QuestionType.CHECKBOXES, QuestionType.CHOICE_OTHER,
                    QuestionType.RANKING):
            return f"{bound.auto_id}_0"
        return super().anchor_for(name)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if getattr(field, "question_type", None) != OTHER_TEXT:
                continue
            if cleaned.get(field.other_of) == OTHER:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, ValidationError(_("Write what you mean by “Other”."), code="other"))
            else:
                cleaned[name] = ""  # written, then another choice made: not an answer
        return cleaned

    def searchable_texts(self):
        """The written answers the Swedish search may index: not those that ask who someone is."""
        _closed, texts = self.answers()
        return [text for name, text in texts.items() if not getattr(self.fields[name], "personal", False)]

    def answers(self):
        """(closed answers, free-text answers) by question name, as stored."""
        closed, texts = {}, {}
        for name, field in self.fields.items():
            kind = getattr(field, "question_type", None)
            if kind is None or getattr(field, "not_an_answer", False):
                continue  # the bot trap, the channel staff choose, the address for the link
            value = self.cleaned_data.get(name)
            if kind in FREE_TEXT_TYPES or kind == OTHER_TEXT:
                if value:
                    texts[name] = value
            else:
                closed[name] = _stored(value)
        return closed, texts


def _stored(value):
    if value is None or value == "":
        return None
    if isinstance(value, (list, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class SurveyFormBuilder(FormBuilder):
    """Wagtail's builder, with the resident forms' text fields and a municipal survey's types."""

    def create_singleline_field(self, field, options):
        return PlainTextField(max_length=SINGLELINE_MAX_LENGTH, **options)

    def create_multiline_field(self, field, options):
        return PlainTextField(multiline=True, max_length=MULTILINE_MAX_LENGTH, widget=forms.Textarea, **options)

    def create_email_field(self, field, options):
        return PlainEmailField(max_length=254, **options)

    def create_number_field(self, field, options):
        # Bounded: a number no one could mean ("1e999") is refused rather than stored.
        return forms.DecimalField(max_digits=12, decimal_places=4, **options)

    def create_dropdown_field(self, field, options):
        # A first, empty choice: the browser would otherwise pick the first answer for the resident.
        options["choices"] = [("", "–")] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)

    def create_scale_field(self, field, options):
        options["choices"] = field.scale_choices()
        return forms.ChoiceField(widget=forms.RadioSelect, **options)

    def create_choice_other_field(self, field, options):
        options["choices"] = self.get_formatted_field_choices(field) + [(OTHER, _("Other:"))]
        return forms.ChoiceField(widget=forms.RadioSelect, **options)

    def create_ranking_field(self, field, options):
        return RankingField(choice_list(field.choices)[:MAX_RANKED], **options)

    def get_formatted_field_choices(self, field):
        return [(choice, choice) for choice in choice_list(field.choices)]

    def get_field_options(self, field):
        options = super().get_field_options(field)
        # The default value is not offered to editors: an answer nobody gave is not an answer.
        options.pop("initial", None)
        return options

    @property
    def formfields(self):
        fields = {}
        for question in self.fields:
            if question.is_section:
                continue  # a heading, not a question
            formfield = self.get_create_field_function(question.field_type)(question, self.get_field_options(question))
            # The template draws each question, and the answers are stored, by this type.
            formfield.question_type = question.field_type
            formfield.personal = question.is_personal
            name = question.clean_name or question.get_field_clean_name()
            fields[name] = formfield
            if question.field_type == QuestionType.CHOICE_OTHER:
                formfield.other_name = question.other_name
                other = PlainTextField(label=_("Other, namely"), required=False, max_length=SINGLELINE_MAX_LENGTH)
                other.question_type, other.other_of, other.personal = OTHER_TEXT, name, question.is_personal
                fields[question.other_name] = other
        return fields

    def get_form_class(self):
        return type("SurveyAnswerForm", (SurveyAnswerForm,), dict(self.formfields))


#: The address a once-per-email survey sends its link to: asked on the last step, never stored.
EMAIL_FIELD = "wd_email"


def answer_form_class(questions, email=False):
    """The answer form of ``questions`` (a step's, or the whole survey's), with
    the address for the link when ``email``."""
    form_class = SurveyFormBuilder(list(questions)).get_form_class()
    if email:
        field = PlainEmailField(
            label=_("Your email address"), max_length=254,
            help_text=_("We send you a link: your answers count when you click it. Each address can answer once. "
                        "We do not keep the address, only a code made from it that cannot be turned back into it, "
                        "and the code is not stored with your answers."),
        )
        # Drawn like an email question, but not an answer: ``answers()`` leaves it out.
        field.question_type, field.not_an_answer = QuestionType.EMAIL, True
        form_class = type("SurveyAnswerForm", (form_class,), {EMAIL_FIELD: field})
    return form_class


def posted_keys(name, field):
    """The keys a field's answer arrives under (a ranking posts one per option)."""
    if isinstance(field.widget, forms.MultiWidget):
        return [name + suffix for suffix in field.widget.widgets_names]
    return [name]


# --- Steps -----------------------------------------------------------------------


def steps(questions):
    """The questions split into steps, a new one at each section heading:
    [(section heading or None, [questions])]; an empty first step is left out."""
    result = [(None, [])]
    for question in questions:
        if question.is_section:
            result.append((question, []))
        else:
            result[-1][1].append(question)
    return [step for step in result if step[0] is not None or step[1]]


def applies(section, questions, data):
    """Whether a step shows, given the answers so far (``data``: name -> list of raw values)."""
    if section is None or not section.shown_if_label.strip():
        return True
    wanted_label = section.shown_if_label.strip().casefold()
    wanted = section.shown_if_value.strip().casefold()
    for question in questions:
        if question is section:
            break
        if question.is_section or question.label.strip().casefold() != wanted_label:
            continue
        given = [str(value).strip().casefold() for value in data.get(question.clean_name or
                                                                     question.get_field_clean_name(), [])]
        if question.field_type == QuestionType.CHECKBOX:
            return (wanted in {"ja", "yes", "on", "true"}) == bool(given and given[0] in {"on", "true", "1"})
        return wanted in given
    return False  # the question named is not before it: never shown


def applicable_steps(questions, data):
    """The steps that show for the answers in ``data``."""
    questions = list(questions)
    return [step for step in steps(questions) if applies(step[0], questions, data)]
