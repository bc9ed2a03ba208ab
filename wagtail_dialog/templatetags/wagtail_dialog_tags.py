"""Template tags of wagtail_dialog: ``{% load wagtail_dialog_tags %}``."""

from django import template
from django.utils.formats import number_format

from wagtail_dialog.dialogs.language import content_language, lang_attribute

register = template.Library()


@register.simple_tag
def content_lang(page_or_code):
    """`` lang="sv"`` on an element that shows a dialog's content (its title,
    question, contributions, replies), when the content's language differs
    from the admin's; nothing when they are the same.

    ``page_or_code`` is the dialog page, whose locale's language counts, or a
    language code already read (a listing reads them for a page of rows at once)::

        <blockquote{% content_lang dialog %}>…</blockquote>
    """
    code = page_or_code if isinstance(page_or_code, str) else content_language(page_or_code)
    return lang_attribute(code)


@register.filter
def bound_field(form, name):
    """``form[name]``, for a name held in a variable (a question's "Other" text); None if there is none."""
    try:
        return form[name]
    except KeyError:
        return None


@register.filter
def ranking_rows(field):
    """A ranking question's options, each with its select's name, id and places
    (value, label, selected): what a ranking renders without JavaScript."""
    widget = field.field.widget
    value = field.value()
    places = value if isinstance(value, list) and len(value) == len(widget.options) else widget.decompress(value)
    rows = []
    for index, (option, suffix) in enumerate(zip(widget.options, widget.widgets_names, strict=True)):
        chosen = str(places[index] or "") if index < len(places) else ""
        rows.append({
            "option": option,
            "name": field.html_name + suffix,
            "id": f"{field.auto_id}_{index}",
            "places": [(str(v), label, str(v) == chosen) for v, label in widget.widgets[index].choices],
        })
    return rows


@register.filter
def kronor(amount):
    """A sum of money in whole kronor, grouped as the active language writes it (1 000 000)."""
    if amount in (None, ""):
        return ""
    return number_format(amount, decimal_pos=0, force_grouping=True)


@register.filter
def sub(value, other):
    """``value`` less ``other`` (whole numbers)."""
    return int(value or 0) - int(other or 0)
