"""Searching dialogs and contributions by what residents and officials wrote.

The words of a text are brought to Swedish search terms (``swedish.terms``)
when it is saved, and stored in a column as " term term term ". A query's
words are brought to terms the same way, and a row matches when, for every
word of the query, it holds one of that word's terms.

- On PostgreSQL the column is read as a ``tsvector`` with the ``simple``
  configuration (the Swedish work is already done) through a GIN index, so a
  search costs about the same at 100 and at 100,000 contributions.
- On SQLite (the demo, a laptop) the same terms are found with ``LIKE``.

A query term of four letters or more also finds the stored terms that begin
with it, for Swedish compounds ("cykel" finds "cykelställ"): a ``term:*``
prefix in the tsquery on PostgreSQL, ``LIKE '% term%'`` on SQLite.

What is public and what is not is decided by the callers: residents search
``search_terms`` of published contributions and live dialogs, moderators
``moderator_search_terms`` (which adds the internal note) of the
contributions they moderate. Names and emails are never turned into terms.
"""

from django.db import connections, router
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from wagtail_dialog.search import swedish


def stored_terms(*texts):
    """The value of a terms column for ``texts``: " term term ", sorted, or "" for no terms."""
    found = set()
    for text in texts:
        found |= swedish.text_terms(text or "")
    return f" {' '.join(sorted(found))} " if found else ""


def matching(queryset, query, field="search_terms"):
    """``queryset`` narrowed to the rows whose ``field`` matches every word of ``query``:
    holds one of the word's terms, or a term that begins with one of its
    prefixes (``swedish.query_words``: "cykel" also finds "cykelställ").

    A query with no searchable words (empty, or only stop words) matches nothing.
    """
    words = swedish.query_words(query)
    if not words:
        return queryset.none()
    vendor = connections[router.db_for_read(queryset.model)].vendor
    if vendor == "postgresql":
        # Imported here: it needs psycopg, which a site on SQLite may not have.
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Terms are runs of letters and digits (swedish.WORD), so nothing in them
        # is tsquery syntax; "term:*" is a prefix match, which the GIN index answers.
        tsquery = " & ".join(
            "(" + " | ".join([*sorted(word.exact), *(f"{prefix}:*" for prefix in sorted(word.prefixes))]) + ")"
            for word in words
        )
        return queryset.annotate(_terms=SearchVector(field, config="simple")).filter(
            _terms=SearchQuery(tsquery, config="simple", search_type="raw")
        )
    # The column is " term term ": a space before and after a term finds it
    # whole, a space only before finds the terms that begin with it. Django
    # escapes % and _ in "contains" (terms never hold them anyway), and SQLite's
    # LIKE ignores case only in ASCII, which does not matter: both sides are casefolded.
    condition = Q()
    for word in words:
        any_term = Q()
        for term in sorted(word.exact):
            any_term |= Q(**{f"{field}__contains": f" {term} "})
        for prefix in sorted(word.prefixes):
            any_term |= Q(**{f"{field}__contains": f" {prefix}"})
        condition &= any_term
    return queryset.filter(condition)


def excerpt(text, query, length=220):
    """A stretch of ``text`` around the first word that matches ``query``, with
    every matching word in ``<mark>``; escaped, safe to put in a page."""
    text = text or ""
    wanted = swedish.query_words(query) if query else []
    hits = [(start, end) for start, end, word in swedish.words(text)
            if any(match.finds(swedish.terms(word)) for match in wanted)]
    if not hits:
        cut = text[:length]
        return escape(cut + ("…" if len(text) > length else ""))
    first = hits[0][0]
    begin = max(0, min(first - length // 3, len(text) - length))
    # Start and end on word boundaries.
    if begin > 0:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < first else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > hits[0][1] else end
    parts = ["…" if begin > 0 else ""]
    position = begin
    for start, stop in hits:
        if start < begin or stop > end:
            continue
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        position = stop
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))
