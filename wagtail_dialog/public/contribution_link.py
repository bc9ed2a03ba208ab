"""Where a published contribution is on its dialog's page: the list page it
falls on, and the words a resident searched for, marked in its text.

A search hit links here rather than to the list's first page, so a resident
lands on the contribution itself (issue 13); the query travels along in the
address so the page can mark the same words the hit did.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404, HttpResponseRedirect

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.search.database import excerpt
from wagtail_dialog.shared_cache.headers import never

#: <dialog>/contributions/<reference>/: a published contribution's lasting address.
CONTRIBUTION_PATH = "contributions"

#: As long as the public search takes: a longer query in the address is cut, not refused.
QUERY_MAX_LENGTH = 200


def list_page_of(contribution):
    """The number of the page of the dialog's published list (newest first)
    that shows ``contribution``."""
    newer = public_contributions(get_contribution_model().objects.filter(dialog_id=contribution.dialog_id)).filter(
        Q(submitted_at__gt=contribution.submitted_at) | Q(submitted_at=contribution.submitted_at, pk__gt=contribution.pk)
    )
    return newer.count() // dialog_setting("CONTRIBUTIONS_PER_PAGE") + 1


def address(dialog_url, contribution, query=""):
    """The contribution's place on its dialog page, with the query to mark."""
    params = {"contributions_page": list_page_of(contribution)}
    if query:
        params.update(q=query[:QUERY_MAX_LENGTH], contribution=contribution.pk)
    return f"{dialog_url}?{urlencode(params)}#wd-contribution-{contribution.pk}"


def serve(dialog, request, reference):
    """Redirect to where the published contribution ``reference`` is on ``dialog``'s page, today:
    the list page it falls on moves as newer contributions are published, so this is never cached."""
    contribution = public_contributions(get_contribution_model().objects.filter(
        dialog_id=dialog.pk, reference=reference.upper())).only("pk", "dialog_id", "submitted_at").first()
    if contribution is None or not dialog.show_contributions:
        raise Http404
    return never(HttpResponseRedirect(address(dialog.get_url(request), contribution)))


def mark_found(contributions, request):
    """Mark the searched words in the contribution the address points at, if
    it is among ``contributions`` (the list page being shown)."""
    query = request.GET.get("q", "")[:QUERY_MAX_LENGTH].strip()
    wanted = request.GET.get("contribution", "")
    if not query or not wanted.isdigit():
        return
    for contribution in contributions:
        if str(contribution.pk) == wanted:
            # The whole text, marked: an excerpt as long as the text.
            contribution.found_text = excerpt(contribution.text, query, length=len(contribution.text) + 1)
            contribution.found_reply = (
                excerpt(contribution.reply, query, length=len(contribution.reply) + 1) if contribution.reply else ""
            )
