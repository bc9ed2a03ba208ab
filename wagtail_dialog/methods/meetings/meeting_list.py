"""What a dialog index shows of its meetings below its own address: the list of
every upcoming meeting in its dialogs (``meetings/``), soonest first, with the
seats left, and their calendar feed (``meetings/calendar/``). Both are the same
for everyone; the index receives the request and hands it here."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.methods.meetings import notices, upcoming
from wagtail_dialog.methods.meetings.calendar import calendar_file


def answers(request, path_components):
    """Whether ``path_components`` below a dialog index are its list of meetings or their feed."""
    return request.method in ("GET", "HEAD") and list(path_components) in (
        [upcoming.LIST_PATH], [upcoming.LIST_PATH, upcoming.CALENDAR_PATH])


def respond(index, request, path_components):
    if list(path_components) == [upcoming.LIST_PATH, upcoming.CALENDAR_PATH]:
        return feed(index, request)
    return meeting_list(index, request)


def meeting_list(index, request):
    now = timezone.now()
    paginator = Paginator(upcoming.upcoming(index.path, now), dialog_setting("INDEX_PER_PAGE"))
    page_obj = paginator.get_page(request.GET.get("page"))
    first = page_obj.number == 1
    shown = upcoming.for_the_list([*page_obj.object_list, *(upcoming.reported(index.path, now) if first else ())],
                                  request, now)
    context = {
        "page": index,
        "self": index,
        "request": request,
        "meetings": shown[: len(page_obj.object_list)],
        "reported": shown[len(page_obj.object_list):],
        "page_obj": page_obj,
        "paginator": paginator,
        "now": now,
    }
    return TemplateResponse(request, "wagtail_dialog/pages/meeting_list.html", context)


def feed(index, request):
    """Every upcoming meeting as one calendar (.ics): a calendar program that subscribes
    sees new ones, moves and cancellations (each meeting keeps its UID, its SEQUENCE rises)."""
    meetings = list(upcoming.upcoming(index.path))
    body = calendar_file(
        # The UIDs of each meeting's own file and emails: the site's host, not the request's.
        meetings, notices.uid_host(index, request), {meeting.pk: meeting.get_full_url(request) for meeting in meetings},
        upcoming.sequences(meetings), name=_("Meetings: %(title)s") % {"title": index.title},
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
