"""What the inbox listing holds for a request: the contributions a user
moderates, narrowed by the listing's filters and search and put in its order.

The listing itself (``admin.inbox``), "select all in listing" in the bulk
actions and "… and next" on a contribution's page (``admin.contribution_page``)
all ask here, so the three never disagree about what the listing shows.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict

from wagtail_dialog.admin.inbox_forms import ContributionFilterSet, InboxSearchForm
from wagtail_dialog.contributions import ContributionStatus, get_contribution_model, permissions
from wagtail_dialog.search import elastic as search_elasticsearch
from wagtail_dialog.search.database import matching

#: What the search box looks in (Wagtail shows the box when this is set; the
#: search itself is ``search`` below): the reference number as typed, the text,
#: the reply and the internal note through their Swedish search terms, and tags by name.
SEARCH_FIELDS = ["reference", "text", "reply", "moderator_note"]


def searcher(query, user=None):
    """A function that narrows a queryset of contributions to what matches
    ``query``: its reference number, every word of it in the text, reply or
    note (inflected forms too), or a tag. The Elasticsearch extra is asked
    once, however many querysets (listing, counts) are narrowed, and only
    about the dialogs ``user`` moderates."""
    query = (query or "").strip()
    if not query:
        return lambda queryset: queryset
    if search_elasticsearch.enabled():
        dialog_ids = permissions.moderated_dialog_ids(user) if user is not None else None
        found = search_elasticsearch.inbox_matches(query, dialog_ids)
        return lambda queryset: queryset.filter(pk__in=found)

    def narrowed(queryset):
        words = matching(queryset, query, field="moderator_search_terms").values("pk")
        condition = Q(reference__iexact=query) | Q(pk__in=words) | Q(tags__name__iexact=query)
        return queryset.filter(condition).distinct()

    return narrowed


def search(queryset, query, user=None):
    """``queryset`` narrowed to what matches ``query`` (see ``searcher``)."""
    return searcher(query, user)(queryset)


def inbox_queryset(user, queryset=None):
    """Contributions ``user`` may moderate."""
    if queryset is None:
        queryset = get_contribution_model()._default_manager.all()
    return permissions.moderated_contributions(user, queryset)


def listing_queryset(request, query=None):
    """What the inbox listing shows for ``request``'s filters and search
    (or those in ``query``, a QueryDict), unpaginated and unordered.

    Used by "select all in listing" in the bulk actions, which send along the
    listing's own query string.
    """
    query = request.GET if query is None else query
    queryset = inbox_queryset(request.user)
    filters = ContributionFilterSet(data=query, queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.qs
    # As the listing does: a search too long to run leaves the listing unsearched.
    form = InboxSearchForm(query)
    return search(queryset, form.cleaned_data["q"], request.user) if form.is_valid() else queryset


#: The orders the listing offers (its sortable columns), the first the default.
ORDERINGS = ["-submitted_at", "submitted_at", "status", "-status"]


def ordering_of(query):
    """The listing's order for ``query``: its ``ordering`` if the listing offers it,
    then the newest id first, so rows that tie (the same second, the same status)
    keep one order across pages and for "… and next"."""
    ordering = query.get("ordering")
    if ordering not in ORDERINGS:
        ordering = ORDERINGS[0]
    return (ordering, "-pk")


#: The query-string parameter that carries the listing's own query string
#: (filters, search, order) to a contribution's page and back.
LISTING_PARAM = "listing"

#: Parameters of the listing's query string that do not choose what it shows.
NOT_CARRIED = {"p", "export", LISTING_PARAM}


def listing_query(query):
    """The part of a listing's query string (a QueryDict) to carry to a
    contribution's page: filters, search and order, not the page number."""
    return urlencode([(key, value) for key, values in query.lists() if key not in NOT_CARRIED for value in values])


def carried_listing(request):
    """The listing's query carried to this contribution page, as a QueryDict."""
    return QueryDict(request.GET.get(LISTING_PARAM, ""))


def next_pending(request, current):
    """The pending contribution after ``current`` in the listing the moderator
    came from (its filters, search and order), or None when none is left.

    After the last row it starts again from the top: rows the moderator
    skipped are still waiting. ``current`` itself is never next, even if it
    is still pending (a reply leaves it pending)."""
    query = carried_listing(request)
    rows = list(listing_queryset(request, query).order_by(*ordering_of(query)).values_list("pk", "status"))
    position = next((index for index, (pk, _status) in enumerate(rows) if pk == current.pk), -1)
    for pk, status in rows[position + 1 :] + rows[: max(position, 0)]:
        if status == ContributionStatus.PENDING and pk != current.pk:
            return pk
    return None
