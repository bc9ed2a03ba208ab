"""Ids that arrive as text: in a page path, a link in an email, a query string."""

import re

#: ASCII digits only: str.isdigit also takes "²", which int() and the database refuse.
_ID = re.compile(r"[0-9]{1,12}")


def is_id(text):
    """Whether ``text`` is a row id as this package writes them."""
    return isinstance(text, str) and _ID.fullmatch(text) is not None
