"""What a meeting page does with a resident's request: shows the meeting and its
sign-up form (plain HTML, no JavaScript needed), takes a sign-up and sends the
link that confirms it, serves the calendar file, and gives each sign-up a page
of its own (the link in its emails) to confirm or cancel.

The meeting page is the same for everyone (a shared cache keeps it, purged when
its seats change); a sign-up's own page is never cached. Buttons, not links,
change a sign-up: a mail program that opens links to check them changes
nothing.
"""

import logging
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.db import router, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.compat import IMMEDIATE_TASK_BACKEND, TaskResultStatus, task
from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions.forms import posted_data
from wagtail_dialog.followup import open_data
from wagtail_dialog.methods.meetings import notices, seats, upcoming
from wagtail_dialog.methods.meetings.calendar import calendar_file
from wagtail_dialog.methods.meetings.facts import SignUp
from wagtail_dialog.methods.meetings.forms import SignUpForm
from wagtail_dialog.methods.meetings.seats import Outcome, RegistrationState
from wagtail_dialog.shared_cache import cross_site, purge
from wagtail_dialog.shared_cache.headers import for_everyone, never

logger = logging.getLogger(__name__)

#: <meeting>/signed-up/: where signing up leads; <meeting>/calendar/: the .ics;
#: <meeting>/registration/<token>/: a sign-up's own page.
SIGNED_UP_PATH = "signed-up"
CALENDAR_PATH = "calendar"
REGISTRATION_PATH = notices.REGISTRATION_PATH
#: Counted apart from contributions and survey answers.
RATE_SCOPE = "meeting-sign-up"


def _below(meeting, request):
    """The meeting's own path, decoded like request.path, without its last slash."""
    return unquote(urlsplit(meeting.get_url(request)).path).rstrip("/")


def closed_reason(meeting, now=None):
    """Why residents cannot sign up here now, or None."""
    if meeting.cancelled:
        return "cancelled"
    if meeting.has_started(now):
        return "started"
    if meeting.sign_up != SignUp.HERE:
        return "not_here"
    return None


def seats_changed(meeting, request=None):
    """What residents see of the seats changed: purge the meeting's page, and where
    its index shows them: the list of meetings and the open data."""
    url = meeting.get_full_url(request) if purge.enabled() else None
    if url:
        # The index is two steps up, at the address two steps up (it routes its dialogs by their slugs).
        index_url = url.rstrip("/").rsplit("/", 2)[0] + "/"
        shown = [*upcoming.list_paths(upcoming.upcoming(upcoming.index_path_of(meeting)).count()),
                 *open_data.index_paths()]
        purge.purge_dialogs((), urls=[url, *(index_url + path for path in shown)])


#: The email a new sign-up gets, by its state: the link that keeps its seat, or its place in line.
#: In any other state it has had the email of that state instead (offered, confirmed) or needs none.
SIGN_UP_EMAILS = {RegistrationState.PENDING: "confirm", RegistrationState.WAITING: "waiting"}


@task()
def send_sign_up_email(registration_pk, base):
    """A new sign-up's email, with the calendar file. Sent by the task worker after the response,
    as the contributions' emails are; on a site without a worker (the immediate backend), at once,
    inside the request. What it says follows the sign-up's state when it is sent (a worker may come
    late: the one waiting may have been offered a seat meanwhile). A sign-up its email cannot reach
    is undone, if it is still new: no one could confirm or cancel it, so it is removed and its seats
    go to the next in line. Returns whether the email went."""
    registration = seats.Registration.objects.filter(pk=registration_pk).select_related("meeting").first()
    event = SIGN_UP_EMAILS.get(registration.state) if registration is not None else None
    if event is None:
        return False
    meeting = registration.meeting
    try:
        return notices.send(registration, event, meeting, base=base)
    except Exception as error:
        notices.failed(event, registration, error)
        if seats.cancel(registration, told=notices.tell, only_if=tuple(SIGN_UP_EMAILS)):
            registration.delete()
            seats_changed(meeting)
        return False


def _queue_email(registration, base):
    return send_sign_up_email.enqueue(registration.pk, base)


def _queue_with_the_sign_up():
    """Whether a sign-up's email can be queued in the sign-up's own transaction: the task queue is
    kept in the same database (django-tasks-db, not routed elsewhere). Then the two commit together,
    so that no seat is held without its email on the way, even if the server stops between them."""
    backend = send_sign_up_email.get_backend()
    if not type(backend).__module__.startswith("django_tasks_db."):
        return False
    return router.db_for_write(apps.get_model("django_tasks_database", "DBTaskResult")) == router.db_for_write(
        seats.Registration)


def _email_failed(registration, base):
    """Queue the sign-up's email (after its commit, so that a worker finds it); True when it ran at
    once and failed: the resident is told so on the form, which keeps what they wrote. With a worker,
    a failure shows as no email, and the page after signing up says what to do then."""
    if isinstance(send_sign_up_email.get_backend(), import_string(IMMEDIATE_TASK_BACKEND)):
        # At once, even inside a transaction (ATOMIC_REQUESTS), where the sign-up is there to read:
        # after the commit the response would already be on its way.
        result = _queue_email(registration, base)
        return result.status != TaskResultStatus.SUCCESSFUL or not result.return_value
    transaction.on_commit(lambda: _queue_email(registration, base))
    return False


def meeting(page, request):
    preview = getattr(request, "is_preview", False)
    now = timezone.now()
    reason = closed_reason(page, now)
    form, status = None, 200
    posted = request.method == "POST" and not preview
    if reason is None and not posted:
        form = SignUpForm(meeting=page)
    if posted:
        request.sensitive_post_parameters = ["email", "name", "needs_interpretation", "needs_access", "needs_diet"]
        if reason is not None:
            status = 403
        else:
            form = SignUpForm(posted_data(request), meeting=page)
            if cross_site.refused(request):
                form.is_valid()
                form.add_error(None, _("You are not signed up yet: the form seemed to come from another website. "
                                       "Check it below and send it again from this page."))
                status = 403
            elif form.is_valid():
                if not ratelimit.count(request, page, scope=RATE_SCOPE):
                    form.add_error(None, ratelimit.refusal_message())
                    status = 429
                else:
                    below = _below(page, request)
                    base = request.build_absolute_uri(below + "/")
                    with_it = _queue_with_the_sign_up()
                    registration = seats.sign_up(
                        page, told=notices.tell, then=(lambda signed_up: _queue_email(signed_up, base)) if with_it
                        else None, language=translation.get_language() or "", **form.details())
                    if not with_it and _email_failed(registration, base):
                        form.add_error(None, _("We could not send the email with the link just now, so you are not "
                                               "signed up. Try again in a while, or call us."))
                        status = 503
                    else:
                        seats_changed(page, request)
                        waiting = "?waiting=1" if registration.state == RegistrationState.WAITING else ""
                        return never(HttpResponseRedirect(f"{below}/{SIGNED_UP_PATH}/{waiting}#wd-receipt"))
    context = {
        **page.get_context(request),
        "dialog": page.dialog,
        "form": form,
        "closed_reason": reason,
        "seats_left": seats.seats_left(page) if page.capacity is not None else None,
        "form_token": cross_site.token_needed(),
        "now": now,
    }
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    if request.method == "POST" or preview:
        return never(response)
    return for_everyone(request, response)


def signed_up(page, request):
    """After signing up: check your email (the same for everyone)."""
    context = {**page.get_context(request), "dialog": page.dialog, "waiting": request.GET.get("waiting") == "1",
               "hold_minutes": int(seats.hold().total_seconds() // 60)}
    return for_everyone(request, TemplateResponse(request, "wagtail_dialog/methods/meeting_signed_up.html",
                                                  context))


def calendar(page, request):
    """The meeting's calendar file (without a link shown only to those signed up)."""
    url = page.get_full_url(request)
    state = seats.MeetingState.objects.filter(meeting_id=page.pk).first()
    body = calendar_file([page], notices.uid_host(page, request), {page.pk: url},
                         {page.pk: state.sequence if state else 0})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(page.slug) or "meeting"}.ics"'
    return for_everyone(request, response)


def registration(page, request, token):
    """A sign-up's own page: where it stands, and buttons to confirm and cancel."""
    found = seats.by_token(page, token)
    outcome, status = None, 200
    if found is None:
        status = 404
    elif request.method == "POST":
        if cross_site.refused(request):
            status = 403
        elif request.POST.get("action") == "cancel":
            if seats.cancel(found, told=notices.tell):
                outcome = "cancelled"
                seats_changed(page, request)
        elif request.POST.get("action") == "confirm":
            outcome = seats.confirm(found, told=notices.tell)
            if outcome == Outcome.CONFIRMED:
                seats_changed(page, request)
                confirmed = seats.Registration.objects.get(pk=found.pk)
                # After the commit: an email never announces a seat a rolled-back transaction took away.
                transaction.on_commit(lambda: notices.tell([confirmed], "confirmed"))
        if found is not None:
            found.refresh_from_db()
    context = {
        **page.get_context(request),
        "dialog": page.dialog,
        "registration": found,
        "outcome": outcome,
        "refused": status == 403,
        "form_token": cross_site.token_needed(),
        "position": seats.waiting_position(found) if found and found.state == RegistrationState.WAITING else None,
        "can_cancel": bool(found and found.state != RegistrationState.CANCELLED and not page.has_ended()),
        "can_confirm": bool(found and found.state in (RegistrationState.PENDING, RegistrationState.OFFERED,
                                                      RegistrationState.EXPIRED)
                            and closed_reason(page) in (None, "not_here")),
        "online_link": page.online_link if found and found.state == RegistrationState.CONFIRMED and page.online else "",
    }
    response = TemplateResponse(request, "wagtail_dialog/methods/meeting_registration.html", context, status=status)
    return never(response)
