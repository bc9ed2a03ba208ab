"""The language a dialog's content is written in, for marking it where the
admin speaks another (WCAG 3.1.2, language of parts).

A moderator may use the admin in English while the dialogs, the residents'
contributions and the replies are Swedish: a screen reader then reads Swedish
words with English pronunciation unless the content says ``lang="sv"``.
"""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language


def _primary(code):
    return (code or "").replace("_", "-").split("-")[0].lower()


def content_language(page):
    """The language code of ``page``'s locale; the site's LANGUAGE_CODE when it has none."""
    locale = getattr(page, "locale", None) if page is not None else None
    return getattr(locale, "language_code", "") or settings.LANGUAGE_CODE


def lang_attribute(language_code):
    """`` lang="sv"`` when ``language_code`` differs from the language the
    admin is shown in now; an empty string when they are the same."""
    if not language_code or _primary(language_code) == _primary(get_language() or settings.LANGUAGE_CODE):
        return ""
    return format_html(' lang="{}"', language_code)
