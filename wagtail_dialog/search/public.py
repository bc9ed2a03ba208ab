"""What a resident finds on a dialog index: dialogs and published contributions
together, narrowed by the index's filters, with a count for every filter value.

Only what is public takes part: live, public dialog pages below the index, and
the published contributions of those that show contributions on their page.
Names and emails are never searched (they are never turned into terms).

Counts ("facets") follow the usual rule: the count beside a value is the number
of results there would be with that value chosen and the other filters kept.
A dialog counts once when it matches, and once more for every matching
contribution to it.

With the Elasticsearch extra on, the matching, the counts per dialog and the
excerpts come from Elasticsearch (``search_elasticsearch``); which dialogs and
contributions may be found is still decided here, from the database.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.utils import timezone

from wagtail_dialog.contributions import get_contribution_model, get_dialog_model
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.dialogs.status import status_of
from wagtail_dialog.search import elastic as search_elasticsearch
from wagtail_dialog.search.database import excerpt, matching

FACETS = ("status", "level", "tag")

#: Newest first. "NULLS LAST" changes nothing (the column is never null) but
#: keeps PostgreSQL from walking the date index backwards and testing every row
#: against the search until it has a page: for a rare word that is most of the
#: table. Sorting the matches found through the search index is far cheaper.
NEWEST_FIRST = (F("submitted_at").desc(nulls_last=True), F("pk").desc())


@dataclass
class Hit:
    """One result: a dialog, or a contribution with the dialog it belongs to."""

    kind: str  # "dialog" or "contribution"
    dialog: object
    contribution: object = None
    excerpt: str = ""
    reply_excerpt: str = ""


@dataclass
class Findings:
    """The outcome of a search: the total, the counts per filter value, and the hits on request."""

    query: str
    total: int
    facets: dict  # facet -> {value: count}
    dialog_hits: list
    #: (start, count) -> [(contribution, excerpt, reply excerpt)], newest first
    contribution_page: object
    contribution_total: int
    dialogs_by_pk: dict = field(default_factory=dict)

    def hits(self, offset, limit):
        """The hits from ``offset`` on, at most ``limit``: matching dialogs first,
        then contributions, newest first."""
        result = []
        for dialog in self.dialog_hits[offset : offset + limit]:
            text = " ".join(part for part in (dialog.question, dialog.purpose) if part)
            result.append(Hit("dialog", dialog, excerpt=excerpt(text, self.query)))
        room = limit - len(result)
        if room > 0 and self.contribution_total:
            start = max(0, offset - len(self.dialog_hits))
            for contribution, text, reply in self.contribution_page(start, room):
                result.append(
                    Hit("contribution", self.dialogs_by_pk[contribution.dialog_id], contribution, text, reply)
                )
        return result


def _database_page(contributions, query):
    def page(start, count):
        return [
            (contribution, excerpt(contribution.text, query),
             excerpt(contribution.reply, query) if contribution.reply else "")
            for contribution in contributions.order_by(*NEWEST_FIRST)[start : start + count]
        ]

    return page


def _elasticsearch_page(query, dialog_ids):
    model = get_contribution_model()

    def page(start, count):
        found = search_elasticsearch.contribution_page(query, dialog_ids, start, count)
        # Read back through the public filter: the database, not the index,
        # decides what may be shown (a contribution hidden a moment ago stays hidden).
        rows = public_contributions(
            model._default_manager.filter(pk__in=[pk for pk, _ in found], dialog_id__in=dialog_ids)
        ).in_bulk()
        result = []
        for pk, marks in found:
            row = rows.get(pk)
            if row is None:
                continue
            text = search_elasticsearch.marked(marks.get("text"), row.text) or excerpt(row.text, query)
            reply = (search_elasticsearch.marked(marks.get("reply"), row.reply) or excerpt(row.reply, query)
                     if row.reply else "")
            result.append((row, text, reply))
        return result

    return page


def _values(dialog, facet, today):
    if facet == "status":
        return [status_of(dialog, today)]
    if facet == "level":
        return [dialog.participation_level]
    return [tag.slug for tag in dialog.tags.all()]


def _passes(dialog, chosen, today, skip=None):
    return all(
        not value or value in _values(dialog, facet, today)
        for facet, value in chosen.items()
        if facet != skip
    )


def find(dialogs, query, chosen):
    """Search ``dialogs`` (a queryset of public, live dialog pages, in display
    order) and their published contributions for ``query``, with the filter
    values in ``chosen`` ({"status": ..., "level": ..., "tag": ...}; empty
    values are not filters)."""
    today = timezone.localdate()
    DialogPage = get_dialog_model()

    every = list(dialogs.prefetch_related("tags"))
    ids = [dialog.pk for dialog in every]
    shown = [dialog.pk for dialog in every if dialog.show_contributions]
    if search_elasticsearch.enabled():
        matched = search_elasticsearch.matching_dialogs(query, ids)
        per_dialog = search_elasticsearch.contributions_per_dialog(query, shown)
    else:
        matched = set(matching(DialogPage.objects.filter(pk__in=ids), query).values_list("pk", flat=True))
        contributions = matching(
            public_contributions(get_contribution_model()._default_manager.filter(dialog_id__in=shown)), query
        )
        per_dialog = dict(
            contributions.order_by().values("dialog_id").annotate(count=Count("pk")).values_list("dialog_id", "count")
        )
    weight = {dialog.pk: (dialog.pk in matched) + per_dialog.get(dialog.pk, 0) for dialog in every}

    facets = _facets(every, weight, chosen, today)

    kept = [dialog for dialog in every if _passes(dialog, chosen, today)]
    dialog_hits = [dialog for dialog in kept if dialog.pk in matched]
    kept_ids = [dialog.pk for dialog in kept]
    contribution_total = sum(per_dialog.get(pk, 0) for pk in kept_ids)
    if search_elasticsearch.enabled():
        page = _elasticsearch_page(query, [pk for pk in kept_ids if pk in per_dialog])
    else:
        page = _database_page(contributions.filter(dialog_id__in=kept_ids), query)
    return Findings(
        query=query,
        total=len(dialog_hits) + contribution_total,
        facets=facets,
        dialog_hits=dialog_hits,
        contribution_page=page,
        contribution_total=contribution_total,
        dialogs_by_pk={dialog.pk: dialog for dialog in kept},
    )


def dialog_facets(dialogs, chosen):
    """Counts per filter value when nothing is searched: one per dialog."""
    every = list(dialogs.prefetch_related("tags"))
    return _facets(every, {dialog.pk: 1 for dialog in every}, chosen, timezone.localdate())


def _facets(dialogs, weight, chosen, today):
    """{facet: {value: count}}: for each value, the summed ``weight`` of the
    dialogs that have it and pass the other filters in ``chosen``."""
    facets = {}
    for facet in FACETS:
        counts = Counter()
        for dialog in dialogs:
            if weight[dialog.pk] and _passes(dialog, chosen, today, skip=facet):
                for value in _values(dialog, facet, today):
                    counts[value] += weight[dialog.pk]
        facets[facet] = counts
    return facets
