"""Reports → Meetings: the meetings a user manages (those below the dialogs
they moderate: who may publish the dialog, and the "Dialog moderators"
group), each with its sign-ups and the counts of them, a printable attendance
list, the sign-ups as CSV and XLSX, a form to sign someone up who phoned or
came by, cancel and confirm on someone's behalf, who came, a message to
everyone signed up, and the views raised at the meeting entered as
contributions with the channel "meeting".

Names, contact details and needs are personal data: only those allowed to see
personal data see them, and only they work on one person's sign-up (the
attendance list, who came, cancel, confirm); the others see the counts."""

import datetime
import logging

from django import forms
from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin import method_access
from wagtail_dialog.admin.contribution_page import register_contribution
from wagtail_dialog.admin.inbox import inbox_url
from wagtail_dialog.admin.inbox_forms import RegisterContributionForm
from wagtail_dialog.contributions.forms import AREA_MAX_LENGTH, HONEYPOT, PlainTextField, posted_data
from wagtail_dialog.contributions.ids import is_id
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.contributions.permissions import can_see_personal_data
from wagtail_dialog.dialogs.language import content_language
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.dialogs.site_settings import settings_for_dialog
from wagtail_dialog.methods.meetings import exports, notices, seats
from wagtail_dialog.methods.meetings.forms import StaffSignUpForm
from wagtail_dialog.methods.meetings.pages import MeetingPage
from wagtail_dialog.methods.meetings.seats import EXPECTING, HOLDING, Outcome, Registration, RegistrationState
from wagtail_dialog.methods.meetings.views import closed_reason, seats_changed

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 150
MESSAGE_MAX_LENGTH = 5000
#: The order the states are listed in: who is coming first.
STATE_ORDER = [RegistrationState.CONFIRMED, RegistrationState.OFFERED, RegistrationState.PENDING,
               RegistrationState.WAITING, RegistrationState.EXPIRED, RegistrationState.CANCELLED]


def managed_meetings(user):
    """The meetings below the dialogs ``user`` moderates."""
    return method_access.managed(MeetingPage, user)


can_manage = method_access.can_manage


def late_reports(user, now=None):
    """The published meetings ``user`` manages whose report is late (``MeetingPage.report_late``), the
    longest late first."""
    now = now or timezone.now()
    found = managed_meetings(user).live().filter(
        cancelled=False, report_summary="", ends_at__lte=now - datetime.timedelta(days=7)).select_related("locale").order_by("ends_at", "pk")
    return [meeting for meeting in found if meeting.report_late(now)]


def report_tab_url(meeting):
    """The page editor, opened at the meeting's Report tab."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[meeting.pk])
    handler = MeetingPage.get_edit_handler()
    # The tab's id is made from its heading (in the language of the process's first editor): asked, not guessed.
    for tab, identifier in zip(handler.children, handler.child_identifiers):
        if any(getattr(panel, "field_name", None) == "report_summary" for panel in getattr(tab, "children", ())):
            return f"{edit_url}#tab-{identifier}"
    return edit_url


def report_link(meeting, user):
    """Where ``user`` writes the meeting's report: its page's Report tab, or the sign-ups where they may not edit it."""
    if meeting.permissions_for_user(user).can_edit():
        return report_tab_url(meeting)
    return meeting_url(meeting)


def report_state(meeting, now):
    if meeting.cancelled:
        return "cancelled"
    if meeting.report_summary:
        return "published"
    if not meeting.has_ended(now):
        return "later"
    return "late" if meeting.report_late(now) else "due"


def report_due_on(meeting):
    return timezone.localtime(meeting.ends_at + datetime.timedelta(days=7)).date()


MeetingsMenuItem = method_access.MethodsMenuItem


def menu_item():
    return MeetingsMenuItem(_("Meetings"), reverse("wagtail_dialog_meetings"), name="dialog-meetings",
                            icon_name="group", order=654)


def meeting_url(meeting, name="wagtail_dialog_meeting"):
    return reverse(name, args=[meeting.pk])


class MeetingIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_dialog/admin/meetings/index.html"
    page_title = _("Meetings")
    header_icon = "group"
    breadcrumbs_items = []

    def dispatch(self, request, *args, **kwargs):
        if not MeetingsMenuItem("", "").is_shown(request):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        meetings = list(managed_meetings(self.request.user).annotate(
            held=Sum("registrations__people", filter=Q(registrations__state__in=HOLDING)),
            waiting=Sum("registrations__people", filter=Q(registrations__state=RegistrationState.WAITING)),
        ).defer_streamfields().order_by("starts_at", "pk"))
        parents = {dialog.path: dialog for dialog in DialogPage.objects.filter(
            path__in={meeting.path[: -MeetingPage.steplen] for meeting in meetings}).only("title", "path")}
        for meeting in meetings:
            meeting.parent_dialog = parents.get(meeting.path[: -MeetingPage.steplen])
            meeting.report = report_state(meeting, now)
            meeting.report_due_on = report_due_on(meeting)
        context.update(
            upcoming=[meeting for meeting in meetings if not meeting.has_ended(now)],
            # The latest held first: the reports still to write are at the top.
            held=[meeting for meeting in reversed(meetings) if meeting.has_ended(now)],
        )
        return context


class MeetingMixin(WagtailAdminTemplateMixin):
    header_icon = "group"
    #: Whether the view shows or changes one person's sign-up: for those allowed to see personal data only.
    personal = False

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(MeetingPage, pk=kwargs["meeting_id"])
        if not can_manage(request.user, self.meeting):
            return permission_denied(request)
        self.dialog = self.meeting.dialog
        self.can_see_personal_data = can_see_personal_data(request.user, self.dialog)
        if self.personal and not self.can_see_personal_data:
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.meeting.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtail_dialog_meetings"), "label": gettext("Meetings")},
            {"url": meeting_url(self.meeting), "label": self.meeting.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def back(self, anchor=""):
        return HttpResponseRedirect(meeting_url(self.meeting) + anchor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, dialog=self.dialog, personal=self.can_see_personal_data,
                       meeting_url=meeting_url(self.meeting))
        return context


def counts(meeting):
    """Sign-ups and people in each state, the seats held and the people who came."""
    rows = meeting.registrations.order_by().values("state").annotate(sign_ups=Count("pk"), people=Sum("people"))
    by_state = {row["state"]: row for row in rows}
    attended = meeting.registrations.filter(attended=True).aggregate(people=Sum("people"), sign_ups=Count("pk"))
    return {
        "states": [{"state": state, "label": state.label, "sign_ups": by_state.get(state, {}).get("sign_ups", 0),
                    "people": by_state.get(state, {}).get("people") or 0} for state in STATE_ORDER],
        "held": sum(by_state.get(state, {}).get("people") or 0 for state in HOLDING),
        "attended_people": attended["people"] or 0,
        "attended_sign_ups": attended["sign_ups"],
    }


def _state(request):
    state = request.GET.get("state", "")
    return state if state in RegistrationState.values else ""


class ViewRaisedForm(forms.Form):
    """One view raised at the meeting, in the words it was said; the dialog's areas to pick from, if it has any."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        dialog = meeting.dialog
        limit = dialog.contribution_max_length
        self.fields["text"] = PlainTextField(
            label=_("View raised"), multiline=True, max_length=limit, widget=forms.Textarea(attrs={"rows": 4}),
            help_text=ngettext("At most %(limit)d character. One view per entry: it waits in the inbox for "
                               "moderation like any other contribution.",
                               "At most %(limit)d characters. One view per entry: it waits in the inbox for "
                               "moderation like any other contribution.", limit) % {"limit": limit})
        site_settings = settings_for_dialog(dialog)
        areas = [area[:AREA_MAX_LENGTH] for area in (site_settings.area_choices() if site_settings else ()) if area]
        if areas:
            self.fields["area"] = forms.ChoiceField(
                label=_("Area (optional)"), required=False,
                choices=[("", _("No particular area"))] + [(area, area) for area in areas])


class MeetingView(MeetingMixin, TemplateView):
    """The meeting's sign-ups, their counts and what staff do with them."""

    template_name = "wagtail_dialog/admin/meetings/meeting.html"

    def get_page_title(self):
        return gettext("Sign-ups")

    def get_context_data(self, view_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, now = self.meeting, timezone.now()
        state = _state(self.request)
        registrations = meeting.registrations.select_related("entered_by")
        if state:
            registrations = registrations.filter(state=state)
        order = {value: place for place, value in enumerate(STATE_ORDER)}
        rows = sorted(registrations.order_by("queued_at", "pk"), key=lambda registration: order[registration.state])
        reason = closed_reason(meeting, now)
        context.update(
            counts=counts(meeting), registrations=rows, state=state, now=now,
            states=RegistrationState.choices,
            can_register=reason in (None, "not_here"),
            can_confirm=reason in (None, "not_here"),
            can_cancel=not meeting.has_ended(now),
            started=meeting.has_started(now),
            report=report_state(meeting, now), report_due_on=report_due_on(meeting),
            # Who moderates a dialog may publish it without editing its pages: no link that ends in "denied".
            report_url=report_tab_url(meeting) if meeting.permissions_for_user(self.request.user).can_edit() else "",
            view_form=view_form or ViewRaisedForm(meeting=meeting),
            views_inbox_url=f"{inbox_url()}?{urlencode({'dialog': self.dialog.pk, 'channel': Channel.MEETING})}",
            page_url=meeting.get_url(self.request),
        )
        return context

    def post(self, request, *args, **kwargs):
        """A view raised at the meeting: registered as a contribution to its dialog with the channel "meeting",
        through the inbox's own form (so the same rules hold), to be moderated like any other."""
        form = ViewRaisedForm(posted_data(request), meeting=self.meeting)
        if form.is_valid():
            registered = RegisterContributionForm({
                "dialog": self.dialog.pk, "channel": Channel.MEETING, "text": form.cleaned_data["text"],
                "area": form.cleaned_data.get("area", ""), "submitted_at": self.meeting.starts_at.isoformat(),
            }, for_user=request.user)
            if registered.is_valid():
                contribution = register_contribution(registered, request.user)
                messages.success(request, gettext("The view is registered as contribution %(reference)s. It waits "
                                                  "in the inbox for moderation.") % {"reference": contribution})
                return self.back("#wd-views")
            for errors in registered.errors.values():
                for error in errors:
                    form.add_error(None, error)
        messages.error(request, gettext("The view could not be registered. See the errors below."))
        return self.render_to_response(self.get_context_data(view_form=form))


class AttendanceListView(MeetingMixin, TemplateView):
    """The list to print and tick at the door: those holding a seat, by name."""

    template_name = "wagtail_dialog/admin/meetings/attendance_list.html"
    page_title = _("Attendance list")
    personal = True

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        registrations = self.meeting.registrations.filter(state__in=HOLDING).order_by("name", "pk")
        context.update(registrations=registrations, people=sum(r.people for r in registrations),
                       when=timezone.localtime(self.meeting.starts_at),
                       ends=timezone.localtime(self.meeting.ends_at))
        return TemplateResponse(request, self.template_name, context)


class ExportView(MeetingMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format", "csv")
        if kind not in ("csv", "xlsx"):
            raise Http404
        columns = exports.columns(personal_data=self.can_see_personal_data)
        registrations = self.meeting.registrations.order_by("created_at", "pk")
        filename = slugify(self.meeting.title) or "meeting"
        if kind == "csv":
            return exports.csv_response(registrations, columns, filename)
        return exports.xlsx_response(registrations, columns, filename, title=self.meeting.title)


def staff_sign_up_form(meeting, data=None):
    form = StaffSignUpForm(data, meeting=meeting)
    form.fields.pop(HONEYPOT, None)
    # The resident's form says "Your name"; here staff write someone else's.
    form.fields["name"].label = _("Name")
    return form


class RegisterView(MeetingMixin, TemplateView):
    """Sign up someone who phoned, wrote or came by: confirmed at once, or on the waiting list when full."""

    template_name = "wagtail_dialog/admin/meetings/register.html"
    page_title = _("Sign someone up")

    def get(self, request, *args, **kwargs):
        if closed_reason(self.meeting) not in (None, "not_here"):
            messages.error(request, gettext("No one can sign up any more: the meeting is cancelled or has started."))
            return self.back()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        request.sensitive_post_parameters = ["name", "email", "phone", "needs_interpretation", "needs_access",
                                             "needs_diet"]
        if closed_reason(self.meeting) not in (None, "not_here"):
            messages.error(request, gettext("No one can sign up any more: the meeting is cancelled or has started."))
            return self.back()
        form = staff_sign_up_form(self.meeting, posted_data(request))
        if not form.is_valid():
            messages.error(request, gettext("The sign-up could not be saved. See the errors below."))
            return self.render_to_response(self.get_context_data(form=form))
        registration = seats.sign_up(self.meeting, confirmed=True, told=notices.tell, entered_by=request.user,
                                     language=content_language(self.dialog), **form.details())
        seats_changed(self.meeting, request)
        waiting = registration.state == RegistrationState.WAITING
        if waiting:
            messages.success(request, gettext("The meeting is full: they are on the waiting list, number %(position)d.")
                             % {"position": seats.waiting_position(registration)})
        else:
            messages.success(request, gettext("They are signed up and their seat is confirmed."))
        if registration.email:
            try:
                notices.send(registration, "waiting" if waiting else "confirmed", self.meeting)
            except Exception:
                logger.exception("The sign-up email for registration %s could not be sent", registration.pk)
                messages.warning(request, gettext("The email to them could not be sent. Tell them by phone."))
        return self.back()

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            form = staff_sign_up_form(self.meeting)
            form.fields["channel"].initial = Channel.PHONE
        context.update(form=form, seats_left=seats.seats_left(self.meeting))
        return context


class RegistrationActionView(MeetingMixin, TemplateView):
    """Cancel, or confirm an offered seat, on someone's behalf (who phoned, or came by)."""

    personal = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        registration = get_object_or_404(Registration, meeting=self.meeting, pk=kwargs["registration_id"])
        action = kwargs["action"]
        if action == "cancel":
            if self.meeting.has_ended():
                messages.error(request, gettext("The meeting is over: its sign-ups stay as they were."))
            elif seats.cancel(registration, told=notices.tell):
                seats_changed(self.meeting, request)
                messages.success(request, gettext("The sign-up is cancelled; its seats went to the waiting list."))
            else:
                messages.info(request, gettext("The sign-up was already cancelled."))
        else:
            outcome = (seats.confirm(registration, told=notices.tell)
                       if closed_reason(self.meeting) in (None, "not_here") else Outcome.TOO_LATE)
            if outcome == Outcome.CONFIRMED:
                seats_changed(self.meeting, request)
                registration.refresh_from_db()
                notices.tell([registration], "confirmed")
                messages.success(request, gettext("The seat is confirmed."))
            else:
                messages.error(request, {
                    Outcome.ALREADY: gettext("The seat was already confirmed."),
                    Outcome.WAITING: gettext("There is no free seat: the sign-up is on the waiting list."),
                    Outcome.CANCELLED: gettext("The sign-up is cancelled: sign them up again instead."),
                    Outcome.TOO_LATE: gettext("The meeting is cancelled or has started: seats can no longer be "
                                              "confirmed."),
                }[outcome])
        return self.back("#wd-registrations")


class AttendedView(MeetingMixin, TemplateView):
    """Who came: a box per sign-up holding a seat, ticked once the meeting has started."""

    template_name = "wagtail_dialog/admin/meetings/attended.html"
    page_title = _("Who came")
    personal = True

    def eligible(self):
        return self.meeting.registrations.filter(Q(state__in=HOLDING) | Q(attended=True)).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(registrations=self.eligible(), started=self.meeting.has_started())
        return context

    def post(self, request, *args, **kwargs):
        if not self.meeting.has_started():
            messages.error(request, gettext("Who came can be marked once the meeting has started."))
            return self.render_to_response(self.get_context_data(), status=400)
        ticked = {int(value) for value in request.POST.getlist("attended") if is_id(value)}
        eligible = self.eligible()
        # Only this meeting's sign-ups: an id of another meeting's is not among them.
        eligible.filter(pk__in=ticked).update(attended=True)
        eligible.exclude(pk__in=ticked).update(attended=False)
        came = self.meeting.registrations.filter(attended=True).aggregate(people=Sum("people"))["people"] or 0
        messages.success(request, ngettext("Saved: %(count)d person came.", "Saved: %(count)d people came.", came)
                         % {"count": came})
        return self.back()


class MessageForm(forms.Form):
    subject = PlainTextField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    message = PlainTextField(
        label=_("Message"), multiline=True, max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. The meeting's time, place and each person's own link are added below it."))


def recipients(meeting):
    """The sign-ups a message to everyone reaches: those still expecting to come, or to hear of a seat."""
    return meeting.registrations.filter(state__in=EXPECTING).exclude(email="")


class MessageView(MeetingMixin, TemplateView):
    """A message to everyone signed up (or waiting), each sent separately with their own link."""

    template_name = "wagtail_dialog/admin/meetings/message.html"
    page_title = _("Message everyone signed up")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=form or MessageForm(), recipients=recipients(self.meeting).count())
        return context

    def post(self, request, *args, **kwargs):
        form = MessageForm(posted_data(request))
        if not form.is_valid():
            messages.error(request, gettext("The message could not be sent. See the errors below."))
            return self.render_to_response(self.get_context_data(form=form))
        count = recipients(self.meeting).count()
        if not count:
            messages.error(request, gettext("No one signed up has an email address: the message was not sent."))
            return self.render_to_response(self.get_context_data(form=form))
        notices.message_everyone(self.meeting, request.user, form.cleaned_data["subject"],
                                 form.cleaned_data["message"], count)
        messages.success(request, ngettext("The message is on its way to %(count)d person.",
                                           "The message is on its way to %(count)d people.", count)
                         % {"count": count})
        return self.back()


#: Ids of at most twelve digits: a longer one would overflow SQLite's integers before it failed to be found.
MEETING = r"^dialog-meetings/(?P<meeting_id>[0-9]{1,12})/"

urlpatterns = [
    path("dialog-meetings/", MeetingIndexView.as_view(), name="wagtail_dialog_meetings"),
    re_path(MEETING + "$", MeetingView.as_view(), name="wagtail_dialog_meeting"),
    re_path(MEETING + "attendance-list/$", AttendanceListView.as_view(), name="wagtail_dialog_meeting_attendance_list"),
    re_path(MEETING + "export/$", ExportView.as_view(), name="wagtail_dialog_meeting_export"),
    re_path(MEETING + "sign-up/$", RegisterView.as_view(), name="wagtail_dialog_meeting_register"),
    re_path(MEETING + r"sign-ups/(?P<registration_id>[0-9]{1,12})/(?P<action>cancel|confirm)/$",
            RegistrationActionView.as_view(), name="wagtail_dialog_meeting_registration"),
    re_path(MEETING + "attended/$", AttendedView.as_view(), name="wagtail_dialog_meeting_attended"),
    re_path(MEETING + "message/$", MessageView.as_view(), name="wagtail_dialog_meeting_message"),
]


def meeting_buttons(page, user, view_name=None, next_url=None):
    """"Sign-ups" in a meeting page's actions, for those who manage it."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not MeetingPage or not can_manage(user, page.specific_deferred):
        return
    yield Button(_("Sign-ups"), meeting_url(page), icon_name="group", priority=80)
