"""The meetings below a dialog index that residents can still come to, and
those that have published their report: for the index's list of meetings, its
calendar feed and the open data, read for a whole list at once however long it is.

An index is named by its tree path, so that a meeting (whose index is two steps
up its path) finds its index's list without reading the pages between."""

from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.methods.meetings.seats import MeetingState, Registration, seats_left_of

#: Below a dialog index: the list of its upcoming meetings, and their calendar feed below that.
LIST_PATH = "meetings"
CALENDAR_PATH = "calendar"
#: Past meetings with a report, shown below the upcoming ones (newest first).
REPORTS_SHOWN = 10
#: List pages purged by number (as shared_cache.purge.LIST_PAGES).
LIST_PAGES = 10


def meeting_model():
    # Reached through the sign-ups' own relation: a service never imports a page module (docs/design.md).
    return Registration._meta.get_field("meeting").related_model


def below(index_path):
    """The live, public meetings of the live dialogs directly below the index at ``index_path``."""
    depth = len(index_path) // Page.steplen
    dialogs = Page.objects.live().filter(path__startswith=index_path, depth=depth + 1).values("path")
    return (
        meeting_model().objects.live().public()
        .filter(path__startswith=index_path, depth=depth + 2)
        .annotate(dialog_path=Substr("path", 1, len(index_path) + Page.steplen))
        .filter(dialog_path__in=dialogs)
    )


def upcoming(index_path, now=None):
    """The meetings not yet ended, soonest first (cancelled ones too: they say so)."""
    return below(index_path).filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")


def reported(index_path, now=None):
    """The latest meetings that have ended and published their report, newest first."""
    return (below(index_path).filter(ends_at__lte=now or timezone.now()).exclude(report_summary="")
            .order_by("-starts_at", "-pk")[:REPORTS_SHOWN])


def for_the_list(meetings, request=None, now=None):
    """``meetings`` as a list, each with ``in_dialog`` (its dialog, as a plain page) and
    ``seats_left`` (None where there is nothing to say: no limit, no sign-up here, too late).
    Two queries whatever their number."""
    now = now or timezone.now()
    meetings = list(meetings)
    dialogs = {page.path: page for page in Page.objects.filter(
        path__in={meeting.path[: -Page.steplen] for meeting in meetings})} if meetings else {}
    left = seats_left_of([meeting for meeting in meetings if not meeting.cancelled and meeting.starts_at > now])
    for meeting in meetings:
        meeting.in_dialog = dialogs.get(meeting.path[: -Page.steplen])
        meeting.seats_left = left.get(meeting.pk)
    return meetings


def sequences(meetings):
    """{meeting pk: its calendar SEQUENCE} (raised each time those signed up are told of a change)."""
    return dict(MeetingState.objects.filter(meeting_id__in=[meeting.pk for meeting in meetings])
                .values_list("meeting_id", "sequence"))


def list_paths(count):
    """The paths of an index's list of ``count`` upcoming meetings that a shared cache keeps."""
    pages = min(max(1, -(-count // dialog_setting("INDEX_PER_PAGE"))), LIST_PAGES)
    return [f"{LIST_PATH}/", *(f"{LIST_PATH}/?page={number}" for number in range(2, pages + 1))]


def index_paths(index_path):
    """Every path of the list and its feed below the index at ``index_path``, for a purge."""
    return [*list_paths(upcoming(index_path).count()), f"{LIST_PATH}/{CALENDAR_PATH}/"]


def index_path_of(meeting):
    """The tree path of the meeting's dialog index (two steps up)."""
    return meeting.path[: -2 * Page.steplen]
