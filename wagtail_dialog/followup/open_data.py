"""Open data from a dialog index page, with no personal data in it.

Each dialog index page answers, below its own address:

- ``api/dialogs/``: its live, public dialogs as JSON (paginated);
- ``api/dialogs/<id>/contributions/``: the published contributions of one of
  them, when the dialog shows contributions on its page: text, reference, date,
  channel and the municipality's reply; never a name, an email, a relation, an
  area or an internal note;
- ``feed/``: an Atom feed of new dialogs and of published feedback.

Read-only, for anyone (``Access-Control-Allow-Origin: *``): everything in it is
already on the public pages.
"""

import datetime

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.contributions.ids import is_id
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.dialogs.status import DialogStatus
from wagtail_dialog.methods.base import ways_below
from wagtail_dialog.methods.registry import method_of

#: The paths below a dialog index page that this module answers; no dialog
#: below an index may take these slugs.
RESERVED_SLUGS = ("api", "feed")
PAGE_SIZE = 50
FEED_ENTRIES = 30


def _kind(path_components):
    match path_components:
        case ["feed"]:
            return "feed"
        case ["api", "dialogs"]:
            return "dialogs"
        case ["api", "dialogs", pk, "contributions"] if is_id(pk):
            return "contributions"
    return None


def index_paths():
    """The open data's paths below a dialog index, for a shared cache to purge."""
    return ["feed/", "api/dialogs/"]


def dialog_paths(pks):
    """The paths of the dialogs ``pks``' own open data below their index."""
    return [f"api/dialogs/{pk}/contributions/" for pk in sorted(pks)]


def answers(request, path_components):
    """Whether ``path_components`` below a dialog index are open data (else
    they are a dialog's address)."""
    return request.method in ("GET", "HEAD") and _kind(path_components) is not None


def respond(index, request, path_components):
    """The open-data response for ``path_components`` below ``index``."""
    kind = _kind(path_components)
    if kind == "feed":
        response = feed(index, request)
    elif kind == "dialogs":
        response = dialog_list(index, request)
    else:
        response = contribution_list(index, request, int(path_components[2]))
    return _open(response)


def _open(response):
    # Shared by a cache in front of the site like the pages (dialogs.pages.index).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _date(value):
    return value.isoformat() if value else None


def _page(request, items, url):
    """{"count", "next", "previous", "results"} for the ?page= asked for."""
    paginator = Paginator(items, PAGE_SIZE)
    try:
        number = request.GET.get("page", "1")
        page = paginator.page(int(number) if is_id(number) else 0)
    except (ValueError, EmptyPage):
        raise Http404(_("There is no such page of results."))
    absolute = request.build_absolute_uri(url)
    return {
        "count": paginator.count,
        "next": f"{absolute}?page={page.next_page_number()}" if page.has_next() else None,
        "previous": f"{absolute}?page={page.previous_page_number()}" if page.has_previous() else None,
        "results": list(page.object_list),
    }


def way_data(way, request, more=None):
    """One way to take part as open data (methods.base.ways_below), with what its method adds (``more``)."""
    opens_on, closes_on = way.way_dates
    return {
        "method": way.method_name,
        "title": way.title,
        "url": request.build_absolute_uri(way.way_url),
        "opens_on": _date(opens_on),
        "closes_on": _date(closes_on),
        **(more or {}),
    }


def methods_data(ways):
    """What each way's method adds to its open data (``methods.registry``), read
    for every way of a kind at once: {way pk: {field: value}}."""
    by_model = {}
    for dialog_ways in ways.values():
        for way in dialog_ways:
            by_model.setdefault(way.content_type.model_class(), []).append(way)
    more = {}
    for model, of_kind in by_model.items():
        method = method_of(model)
        if method is not None:
            more.update(method.open_data(of_kind))
    return more


def dialog_data(dialog, request, index, published, ways=(), more=None):
    """One dialog as open data: what its page shows, and how many contributions it has published."""
    decided = dialog.status in (DialogStatus.DECIDED, DialogStatus.FEEDBACK_GIVEN)
    return {
        "id": dialog.pk,
        "title": dialog.title,
        "url": dialog.get_full_url(request),
        "question": dialog.question,
        "purpose": dialog.purpose,
        "dialog_type": dialog.dialog_type,
        "participation_level": dialog.participation_level,
        "status": dialog.status.value if dialog.status_applies else None,
        "tags": sorted(tag.slug for tag in dialog.tags.all()),
        "decision_body": str(dialog.decision_body) if dialog.decision_body_id else None,
        "case_number": dialog.case_number,
        "opens_on": _date(dialog.opens_on),
        "closes_on": _date(dialog.closes_on),
        "decision_expected_on": _date(dialog.decision_expected_on),
        "feedback_due_on": _date(dialog.feedback_due_on),
        # The decision as the page shows it: from its date; the minutes with the feedback.
        "decided_on": _date(dialog.decided_on) if decided else None,
        "decision": dialog.decision_summary if decided else "",
        "minutes_url": (dialog.minutes_url or None) if dialog.feedback_given else None,
        "feedback_published_on": _date(dialog.feedback_published_on) if dialog.feedback_given else None,
        "participation_effect": dialog.participation_effect if dialog.feedback_given else "",
        "published_contributions": published.get(dialog.pk, 0) if dialog.show_contributions else None,
        "contributions_url": (
            request.build_absolute_uri(f"{index.url}api/dialogs/{dialog.pk}/contributions/")
            if dialog.show_contributions else None
        ),
        "ways_to_take_part": [way_data(way, request, (more or {}).get(way.pk)) for way in ways],
    }


def dialog_list(index, request):
    from django.db.models import Count

    dialogs = index.dialogs().select_related("decision_body").prefetch_related("tags")
    data = _page(request, dialogs, f"{index.url}api/dialogs/")
    ids = [dialog.pk for dialog in data["results"]]
    published = dict(
        public_contributions(get_contribution_model()._default_manager.filter(dialog_id__in=ids))
        .order_by()
        .values("dialog_id")
        .annotate(count=Count("pk"))
        .values_list("dialog_id", "count")
    )
    ways = ways_below(data["results"], request)
    more = methods_data(ways)
    data["results"] = [dialog_data(dialog, request, index, published, ways[dialog.pk], more)
                       for dialog in data["results"]]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def contribution_data(contribution):
    """One published contribution as open data: no name, email, relation, area or note."""
    return {
        "reference": contribution.reference,
        "text": contribution.text,
        "submitted_at": _date(contribution.submitted_at),
        "channel": contribution.channel,
        "reply": contribution.reply or None,
        "replied_at": _date(contribution.replied_at) if contribution.reply else None,
        "reply_signature": contribution.reply_signature if contribution.reply else None,
        "idea": idea_data(contribution),
    }


def idea_data(contribution):
    """An idea for a participatory budget: its cost and place, and the municipality's assessment."""
    if contribution.estimated_cost is None and not contribution.place and not contribution.feasibility:
        return None
    return {
        "estimated_cost": contribution.estimated_cost,
        "place": contribution.place or None,
        "feasible": contribution.is_feasible if contribution.feasibility else None,
        "assessment": contribution.feasibility_reason or None,
        "assessed_cost": contribution.assessed_cost,
    }


def contribution_list(index, request, dialog_pk):
    dialog = index.dialogs().filter(pk=dialog_pk, show_contributions=True).first()
    if dialog is None:
        raise Http404(_("No such dialogue here, or it does not show contributions."))
    contributions = public_contributions(
        get_contribution_model()._default_manager.filter(dialog=dialog)
    ).order_by("-submitted_at", "-pk")
    data = _page(request, contributions, f"{index.url}api/dialogs/{dialog.pk}/contributions/")
    data["results"] = [contribution_data(contribution) for contribution in data["results"]]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def feed(index, request):
    """Atom: each dialog when it was first published, and its feedback when given, newest first."""
    today = timezone.localdate()
    entries = []
    for dialog in index.dialogs():
        url = dialog.get_full_url(request)
        # A page made live without Wagtail's publishing (an import) has no publication time.
        published = dialog.first_published_at or (_midnight(dialog.opens_on) if dialog.opens_on else None)
        if published:
            entries.append((published, f"{url}#dialog", _("New dialogue: %(title)s") % {"title": dialog.title},
                            url, dialog.question))
        if dialog.feedback_published_on and dialog.feedback_published_on <= today:
            entries.append((_midnight(dialog.feedback_published_on), f"{url}#feedback",
                            _("Feedback: %(title)s") % {"title": dialog.title}, url, dialog.participation_effect))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    atom = Atom1Feed(
        title=index.title,
        link=index.get_full_url(request),
        description=_("New dialogues and the feedback given on them."),
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else None,
    )
    for moment, unique_id, title, link, text in entries[:FEED_ENTRIES]:
        atom.add_item(title=title, link=link, description=text, unique_id=unique_id, updateddate=moment,
                      pubdate=moment)
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response
