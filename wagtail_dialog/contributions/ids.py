"""Ids that arrive as text: in a page path, a link in an email, a query string."""

import re

from django.urls import register_converter

#: ASCII digits only: str.isdigit also takes "²", which int() and the database refuse.
_ID = re.compile(r"[0-9]{1,12}")


def is_id(text):
    """Whether ``text`` is a row id as this package writes them."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None


class RowIdConverter:
    """``<row_id:name>`` in a URL pattern: a row id as ``is_id`` takes it. A number
    with more digits is no page of ours (404), where ``<int:…>`` would hand the
    database a number too large for its integers (a server error on SQLite)."""

    regex = _ID.pattern

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class YearConverter(RowIdConverter):
    """``<year:name>``: a year of four digits, the calendar's (a date has no year 0 or 10000)."""

    regex = "[1-9][0-9]{3}"


# Registered here, beside what they check, so that every module that writes a
# pattern with them has imported them first.
register_converter(RowIdConverter, "row_id")
register_converter(YearConverter, "year")
