"""The meeting page (möte): a dialogue café, workshop, open house or walk below
a dialog page, with its time and place, its accessibility as facts, sign-up
without an account, and afterwards its report.

The page is its own controller: the page and the sign-up form at its
address, the calendar file and a sign-up's own page below it; what they do is
in ``methods.meetings.views``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.methods.base import MethodPage, MethodPageForm
from wagtail_dialog.methods.meetings import views
from wagtail_dialog.methods.meetings.facts import Fact, MeetingFormat, MeetingKind, SignUp
from wagtail_dialog.shared_cache.cross_site import resident_form


def _default_retention_days():
    return int(dialog_setting("MEETING_PERSONAL_DATA_DAYS"))


class MeetingPageForm(MethodPageForm):
    """The method's rules, and a meeting that makes sense: it ends after it
    starts, within the dialogue's dates; a place or a link for its format; a
    link for sign-up elsewhere."""

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        dialog = self.parent_page.specific if self.parent_page is not None else None
        if starts_at and dialog is not None:
            day = timezone.localtime(starts_at).date()
            if getattr(dialog, "opens_on", None) and day < dialog.opens_on:
                self.add_error("starts_at", _("The dialogue opens on %(date)s: the meeting cannot be before it.")
                               % {"date": dialog.opens_on.isoformat()})
            if getattr(dialog, "closes_on", None) and day > dialog.closes_on:
                self.add_error("starts_at", _("The dialogue closes on %(date)s: the meeting cannot be after it.")
                               % {"date": dialog.closes_on.isoformat()})
        meeting_format = cleaned.get("meeting_format")
        if meeting_format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not (
                cleaned.get("venue_name") or cleaned.get("address")):
            self.add_error("address", _("Say where the meeting is: a meeting in person needs a place."))
        if meeting_format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID) and not cleaned.get("online_link"):
            self.add_error("online_link", _("An online meeting needs the link to join it."))
        if cleaned.get("sign_up") == SignUp.ELSEWHERE and not cleaned.get("sign_up_link"):
            self.add_error("sign_up_link", _("Give the address where residents sign up."))
        return cleaned


class MeetingPage(RoutablePageMixin, MethodPage):
    """A meeting residents come to, in person or online."""

    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("What happens at the meeting and what residents can influence there."))
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.DIALOGUE_CAFE)
    meeting_format = models.CharField(_("format"), max_length=20, choices=MeetingFormat.choices,
                                      default=MeetingFormat.IN_PERSON)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    directions = models.TextField(_("how to get there"), blank=True,
                                  help_text=_("Public transport, parking, the entrance to use."))
    online_link = models.URLField(_("link to the online meeting"), blank=True)
    online_link_registered_only = models.BooleanField(
        _("show the link only to those signed up"), default=False,
        help_text=_("The link is then in the confirmation email and on each person's own page, not on this page."),
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True, default="svenska",
                                 help_text=_("The languages the meeting is held in."))
    step_free = models.CharField(_("step-free access"), max_length=10, choices=Fact.choices, default=Fact.UNKNOWN)
    hearing_loop = models.CharField(_("hearing loop"), max_length=10, choices=Fact.choices, default=Fact.UNKNOWN)
    accessible_toilet = models.CharField(_("accessible toilet"), max_length=10, choices=Fact.choices,
                                         default=Fact.UNKNOWN)
    childcare = models.CharField(_("childcare"), max_length=10, choices=Fact.choices, default=Fact.NO)
    interpretation_by = models.DateField(
        _("interpretation on request by"), null=True, blank=True,
        help_text=_("Sign-language or other interpretation can be booked if asked for by this day. Empty: not "
                    "offered."),
    )
    accessibility_notes = models.TextField(_("more about accessibility"), blank=True)
    sign_up = models.CharField(_("sign-up"), max_length=20, choices=SignUp.choices, default=SignUp.HERE)
    sign_up_link = models.URLField(_("sign-up link"), blank=True, help_text=_("Where residents sign up elsewhere."))
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True,
                                           help_text=_("Empty: no limit. When full, residents join a waiting list."))
    max_party = models.PositiveSmallIntegerField(_("most people per sign-up"), default=4)
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder, hours before"), default=24, help_text=_("0: no reminder email."))
    personal_data_days = models.PositiveSmallIntegerField(
        _("remove names, contact details and needs, days after the meeting"), default=_default_retention_days)
    cancelled = models.BooleanField(_("cancelled"), default=False,
                                    help_text=_("Everyone signed up is told when this is published."))
    cancellation_note = models.TextField(_("why it is cancelled, and what happens instead"), blank=True)
    report_summary = models.TextField(
        _("report"), blank=True,
        help_text=_("What was discussed and what happens next. Published with the page; the views raised are "
                    "entered as contributions with the channel “meeting”."),
    )
    attendance = models.PositiveIntegerField(_("number who took part"), null=True, blank=True,
                                             help_text=_("Counted at the meeting: not the number signed up."))

    lowest_level = ParticipationLevel.INFORMATION
    method_name = "meeting"
    is_creatable = True
    base_form_class = MeetingPageForm
    template = "wagtail_dialog/methods/meeting_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("kind"), FieldPanel("meeting_format")]),
                         FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                         FieldPanel("languages")], heading=_("When")),
        MultiFieldPanel([FieldPanel("venue_name"), FieldPanel("address"), FieldPanel("directions"),
                         FieldPanel("online_link"), FieldPanel("online_link_registered_only")], heading=_("Where")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("step_free"), FieldPanel("hearing_loop")]),
                         FieldRowPanel([FieldPanel("accessible_toilet"), FieldPanel("childcare")]),
                         FieldPanel("interpretation_by"), FieldPanel("accessibility_notes")],
                        heading=_("Accessibility")),
        MultiFieldPanel([FieldPanel("cancelled"), FieldPanel("cancellation_note")], heading=_("Cancelled")),
    ]
    sign_up_panels = [
        FieldPanel("sign_up"), FieldPanel("sign_up_link"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_party")]),
        FieldRowPanel([FieldPanel("reminder_hours"), FieldPanel("personal_data_days")]),
    ]
    report_panels = [FieldPanel("report_summary"), FieldPanel("attendance")]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Meeting")),
        ObjectList(sign_up_panels, heading=_("Sign-up")),
        ObjectList(report_panels, heading=_("Report")),
        ObjectList(Page.promote_panels, heading=_("Promote")),
        ObjectList(Page.settings_panels, heading=_("Settings")),
    ])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        super().clean()
        if self.capacity is not None and self.capacity < 1:
            raise ValidationError({"capacity": _("A meeting needs at least one seat; leave it empty for no limit.")})

    @classmethod
    def annotate_ways(cls, ways):
        # The list of ways shows a meeting's day and hours, not dates it is open between.
        facts = {row["pk"]: row for row in cls.objects.filter(pk__in=[way.pk for way in ways]).values(
            "pk", "kind", "starts_at", "ends_at", "venue_name", "cancelled")}
        for way in ways:
            row = facts.get(way.pk)
            if row:
                way.meeting = row
                way.kind = MeetingKind(row["kind"]).label if row["kind"] in MeetingKind.values else way.kind
                way.way_dates = (None, timezone.localtime(row["ends_at"]).date())
                way.never_opens = False

    def dates(self, dialog=None):
        # Residents sign up until it starts: the meeting's own day closes it.
        return (None, timezone.localtime(self.ends_at).date()) if self.ends_at else super().dates(dialog)

    def is_open(self, today=None, dialog=None):
        return not self.cancelled and self.ends_at is not None and self.ends_at > timezone.now()

    @property
    def place(self):
        """Where, in one line (what those signed up are told again when it changes)."""
        return ", ".join(part for part in (self.venue_name, self.address) if part)

    def where_told(self):
        """Where and how to come, as those signed up were told it: the place, the format and the link."""
        return "\n".join((self.place, self.meeting_format, self.online_link if self.online else ""))

    @property
    def in_person(self):
        return self.meeting_format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID)

    @property
    def online(self):
        return self.meeting_format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID)

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def has_ended(self, now=None):
        return self.ends_at <= (now or timezone.now())

    def report_late(self, now=None):
        """No report published a week after the meeting."""
        return (not self.cancelled and not self.report_summary
                and self.ends_at + datetime.timedelta(days=7) <= (now or timezone.now()))

    @path("")
    @resident_form
    def meeting(self, request):
        """The meeting; a POST is a resident's sign-up."""
        return views.meeting(self, request)

    @path(f"{views.SIGNED_UP_PATH}/")
    def signed_up(self, request):
        return views.signed_up(self, request)

    @path(f"{views.CALENDAR_PATH}/")
    def calendar(self, request):
        return views.calendar(self, request)

    @re_path(rf"^{views.REGISTRATION_PATH}/(?P<token>[^/]+)/$")
    @resident_form
    def registration(self, request, token):
        """A sign-up's own page, the link in its emails: confirm or cancel."""
        return views.registration(self, request, token)

    def serve_preview(self, request, mode_name):
        request.is_preview = True
        return views.meeting(self, request)

    def get_cached_paths(self):
        return ["/", f"/{views.SIGNED_UP_PATH}/", f"/{views.CALENDAR_PATH}/"]
