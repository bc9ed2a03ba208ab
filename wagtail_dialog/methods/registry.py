"""What the rest of the package needs to know of each way of taking part,
registered in one place (docs/design.md, "Ways to take part").

Each method registers itself from the app's ``ready()``; the annual
follow-up and the privacy code loop over ``methods()`` instead of importing
each method, so a new method plugs in without touching them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Method:
    #: The page type, "app_label.ModelName"; a subclass of ``methods.base.MethodPage``.
    page_model: str
    #: How many took part, by channel value, in the dialogs ``dialogs`` (a DialogPage queryset):
    #: ``participants(dialogs) -> {channel: count}``. The annual follow-up adds them up.
    participants: Callable
    #: Empty the personal data (free text included) of the method's answers in ``dialog``; returns how many
    #: answers held any. Run at the dialog's retention date, like the contributions' anonymisation.
    empty_personal_data: Callable
    #: How many answers in ``dialog`` still hold personal data: ``holding_personal_data(dialog) -> int``.
    holding_personal_data: Callable
    #: How many of the method's answers hold the email address ``email`` (a person's request):
    #: ``answers_holding(email) -> int``.
    answers_holding: Callable = lambda email: 0
    #: Erase the answers holding ``email``: their written answers emptied, or the answers deleted when
    #: ``delete``; returns how many. ``erase_answers(email, delete) -> int``.
    erase_answers: Callable = lambda email, delete: 0
    #: Extra sheets for ``dialog``'s archive export (XLSX): ``archive_sheets(dialog) -> [(title, queryset,
    #: columns, chunker)]``, written like the contributions' sheet (``contributions.exports.write_xlsx``).
    archive_sheets: Callable = lambda dialog: []
    #: What the method's live pages below ``dialog`` ask of a person, for the dialog's privacy page:
    #: ``asks_for_personal_data(dialog) -> [(page, [question labels])]``.
    asks_for_personal_data: Callable = lambda dialog: []
    #: What the open data says of the method's ways (``methods.base.ways_below``) beyond every way's own
    #: fields, read for all of ``ways`` at once: ``open_data(ways) -> {page pk: {field: value}}``.
    open_data: Callable = lambda ways: {}
    #: (name, description, run(today) -> outcome) of what ``dialog_daily`` runs for the method, once a day.
    daily_jobs: tuple = ()
    #: The same, run every time ``dialog_daily`` runs (hourly, docs/operations.md). Each must be safe to run
    #: twice or on two servers at once: it claims what it does row by row.
    hourly_jobs: tuple = ()


_METHODS: dict[str, Method] = {}


def register_method(method):
    """Register ``method`` (once per page model; registering again replaces it)."""
    _METHODS[method.page_model.lower()] = method


def method_of(model):
    """The method registered for the page model ``model``, or None."""
    return _METHODS.get(model._meta.label_lower) if model is not None else None


def methods():
    """Every registered method, in the order they were registered."""
    return tuple(_METHODS.values())
