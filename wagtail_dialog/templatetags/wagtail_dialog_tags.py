"""Template tags of wagtail_dialog: ``{% load wagtail_dialog_tags %}``."""

from django import template

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
