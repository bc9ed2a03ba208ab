"""Who has a seat at a meeting, and who waits for one.

A sign-up holds its seats (one per person it brings) while its email link
waits to be clicked (*pending*, for ``HOLD_MINUTES``), once confirmed, and
while seats offered from the waiting list wait for an answer (*offered*, for
``OFFER_HOURS``, never past the start). When the meeting is full, later
sign-ups join the waiting list in the order they came; whenever seats come
free (a cancellation, a hold that ran out, more seats), they are offered to
the waiting list strictly in order: a party of three first in line is not
passed by a party of one behind it.

Every change to a meeting's seats runs in a transaction whose first statement
updates that meeting's ``MeetingState`` row. PostgreSQL makes a second
transaction wait for the first one's row lock; SQLite takes its one write lock
for that statement (waiting its busy timeout for another process), so both
count seats that no one else is changing. Threads of one process that share an
SQLite connection cache also take a lock of the process.
"""

import datetime
import functools
import secrets
import threading
from contextlib import contextmanager
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.meetings.facts import SignUp


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the email link")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a seat")
    EXPIRED = "expired", _("Lapsed: the link was not clicked in time")
    CANCELLED = "cancelled", _("Cancelled")


#: The states that hold seats.
HOLDING = (RegistrationState.PENDING, RegistrationState.CONFIRMED, RegistrationState.OFFERED)
#: The states of those who still expect to come, or to hear of a seat.
EXPECTING = (*HOLDING, RegistrationState.WAITING)
#: Channels staff may register someone by.
STAFF_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.MEETING)


def hold():
    """How long a seat waits for its email link."""
    return datetime.timedelta(minutes=int(dialog_setting("MEETING_HOLD_MINUTES")))


def offer_time():
    """How long seats offered from the waiting list wait for an answer."""
    return datetime.timedelta(hours=int(dialog_setting("MEETING_OFFER_HOURS")))


class MeetingState(models.Model):
    """A meeting's row outside its page revisions: the lock every change of its
    seats takes, and what those signed up were last told of its time and place
    (so that a move or a cancellation is told once)."""

    meeting = models.OneToOneField("wagtail_dialog.MeetingPage", on_delete=models.CASCADE, primary_key=True,
                                   related_name="state")
    changes = models.PositiveIntegerField(default=0)
    #: Raised each time those signed up are told of a change: the calendar file's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    told_starts_at = models.DateTimeField(null=True, blank=True)
    told_ends_at = models.DateTimeField(null=True, blank=True)
    told_place = models.TextField(blank=True, default="")
    told_cancelled = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("meeting state")
        verbose_name_plural = _("meeting states")


class Registration(models.Model):
    """One sign-up for a meeting: one person, and those they bring."""

    meeting = models.ForeignKey("wagtail_dialog.MeetingPage", on_delete=models.CASCADE, related_name="registrations",
                                verbose_name=_("meeting"))
    state = models.CharField(_("state"), max_length=20, choices=RegistrationState.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    needs_interpretation = models.CharField(_("interpretation"), max_length=300, blank=True)
    needs_access = models.CharField(_("access"), max_length=300, blank=True)
    needs_diet = models.CharField(_("food"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    #: The emails' language: the one the page was read in.
    language = models.CharField(max_length=10, blank=True)
    #: Half of the link in the emails (the other half is the primary key).
    key = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    #: The place in the waiting list: when the sign-up came, or when it came back after its hold ran out.
    queued_at = models.DateTimeField(default=timezone.now)
    held_until = models.DateTimeField(_("seat held until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    attended = models.BooleanField(_("attended"), default=False)
    personal_data_removed_at = models.DateTimeField(_("personal data removed"), null=True, blank=True,
                                                    editable=False)

    class Meta:
        verbose_name = _("meeting registration")
        verbose_name_plural = _("meeting registrations")
        indexes = [models.Index(fields=["meeting", "state", "queued_at"])]

    def __str__(self):
        return f"{self.meeting_id}/{self.pk}"

    @property
    def token(self):
        """What the links in this sign-up's emails carry."""
        return f"{self.pk}-{self.key}" if self.key else ""

    @property
    def holds_seat(self):
        return self.state in HOLDING

    @property
    def needs(self):
        return [need for need in (self.needs_interpretation, self.needs_access, self.needs_diet) if need]


def by_token(meeting, token):
    """The sign-up to ``meeting`` that ``token`` names, or None."""
    pk, _sep, key = str(token).partition("-")
    if not pk.isascii() or not pk.isdigit() or len(pk) > 18 or not key:
        return None
    registration = Registration.objects.filter(meeting=meeting, pk=int(pk)).exclude(key="").first()
    if registration is None or not constant_time_compare(registration.key, key):
        return None
    return registration


_PROCESS_LOCK = threading.Lock()


# _lock and _read are raw SQL: every sign-up runs them under the lock, and the
# ORM spends several times longer building them (a join through the page's
# tables, three subqueries) than the database spends running them.


@functools.cache
def _statements(model):
    """The SQL of ``_lock`` and ``_read`` for meetings of ``model``."""
    from wagtail.models import Page

    quote = connection.ops.quote_name

    def column(of, name):
        field = of._meta.get_field(name)
        return f"{quote(field.model._meta.db_table)}.{quote(field.column)}"

    state, registration = quote(MeetingState._meta.db_table), quote(Registration._meta.db_table)
    changes, meeting_id = column(MeetingState, "changes"), column(MeetingState, "meeting_id")
    # The table that holds the meeting's fields, with its own key: a site's subclass of the
    # meeting page has a table (and a key column) of its own, and that is not the one read here.
    concrete = model._meta.get_field("capacity").model
    meeting = quote(concrete._meta.db_table)
    page = quote(Page._meta.db_table)
    # Page, method page and meeting share one primary key (Django's multi-table inheritance).
    pk, page_pk = f"{meeting}.{quote(concrete._meta.pk.column)}", column(Page, "id")
    of_meeting = f"FROM {registration} WHERE {column(Registration, 'meeting_id')} = {pk}"
    people, state_of, held_until = (column(Registration, name) for name in ("people", "state", "held_until"))
    lock = f"UPDATE {state} SET {quote('changes')} = {changes} + 1 WHERE {meeting_id} = %s"
    read = (
        f"SELECT {column(model, 'capacity')}, {column(model, 'starts_at')}, {column(model, 'cancelled')}, "
        f"{column(Page, 'live')}, "
        f"(SELECT SUM({people}) {of_meeting} AND ({state_of} = %s OR ({state_of} IN (%s, %s) AND {held_until} > %s))), "
        f"EXISTS (SELECT 1 {of_meeting} AND {state_of} IN (%s, %s) AND {held_until} <= %s), "
        f"EXISTS (SELECT 1 {of_meeting} AND {state_of} = %s) "
        f"FROM {meeting} INNER JOIN {page} ON {page_pk} = {pk} INNER JOIN {state} ON {meeting_id} = {pk} "
        f"WHERE {pk} = %s"
    )
    return lock, read


def _lock(meeting):
    """Update the meeting's row, taking its lock; 0 when it has no row yet."""
    with connection.cursor() as cursor:
        cursor.execute(_statements(type(meeting))[0], [meeting.pk])
        return cursor.rowcount


class Seats(NamedTuple):
    """What ``_seats`` read under the lock: the time, the seats held at that time, and whether any
    hold has lapsed and anyone waits. The defaults, for a meeting that could
    not be read, make ``_release`` and ``_offer`` ask again."""

    now: datetime.datetime
    taken: int | None = None
    lapsed: bool = True
    waiting: bool = True


@contextmanager
def _seats(meeting, now=None):
    """Hold ``meeting``'s seats for the block (see the module's docstring); yields ``Seats`` read at
    ``now``, by default the time the lock was taken."""
    shared = connection.vendor == "sqlite"
    if shared:
        _PROCESS_LOCK.acquire()
    try:
        with transaction.atomic():
            if not _lock(meeting):
                # The meeting's first change: its row first. Of two at once on
                # PostgreSQL, one creates it and the other finds it, then waits.
                MeetingState.objects.get_or_create(meeting_id=meeting.pk)
                _lock(meeting)
            yield _read(meeting, now or timezone.now())
    finally:
        if shared:
            _PROCESS_LOCK.release()


def _read(meeting, now):
    """What an editor published meanwhile (fewer seats, a cancellation) counts: read under the lock, in
    one query with what ``_release`` and ``_offer`` would otherwise ask."""
    at = connection.ops.adapt_datetimefield_value(now)
    holding = (RegistrationState.PENDING, RegistrationState.OFFERED)
    with connection.cursor() as cursor:
        cursor.execute(_statements(type(meeting))[1], [RegistrationState.CONFIRMED, *holding, at, *holding, at,
                                                        RegistrationState.WAITING, meeting.pk])
        row = cursor.fetchone()
    if row is None:  # the page is gone: nothing known
        return Seats(now)
    capacity, starts_at, cancelled, live, held_seats, lapsed, waiting = row
    if settings.USE_TZ and timezone.is_naive(starts_at):  # as the ORM gives it (SQLite's come naive)
        starts_at = timezone.make_aware(starts_at, connection.timezone)
    meeting.capacity, meeting.starts_at = capacity, starts_at
    meeting.cancelled, meeting.live = bool(cancelled), bool(live)
    return Seats(now, held_seats or 0, bool(lapsed), bool(waiting))


def held(now=None):
    """A Q for the sign-ups holding seats at ``now``: confirmed, or held and not yet lapsed (the hourly
    job marks lapsed holds; until it runs they are free all the same)."""
    return Q(state=RegistrationState.CONFIRMED) | Q(
        state__in=(RegistrationState.PENDING, RegistrationState.OFFERED), held_until__gt=now or timezone.now())


def taken(meeting, now=None):
    """How many seats are held."""
    return meeting.registrations.filter(held(now)).aggregate(total=Sum("people"))["total"] or 0


def seats_left(meeting, now=None):
    """Free seats, or None for a meeting without a limit. Seats free while others wait count as none."""
    if meeting.capacity is None:
        return None
    if meeting.registrations.filter(state=RegistrationState.WAITING, people__lte=meeting.capacity).exists():
        return 0
    return max(0, meeting.capacity - taken(meeting, now))


def seats_left_of(meetings):
    """``seats_left`` of each of ``meetings`` that residents sign up for here with a limit, in one
    query: {meeting pk: free seats}. The others (no limit, sign-up elsewhere or none) are left out."""
    limited = {meeting.pk: meeting.capacity for meeting in meetings
               if meeting.capacity is not None and meeting.sign_up == SignUp.HERE}
    if not limited:
        return {}
    counted = {
        row["meeting_id"]: row for row in Registration.objects.filter(meeting_id__in=limited).order_by()
        .values("meeting_id").annotate(taken=Sum("people", filter=held()),
                                       waiting=Count("pk", filter=Q(state=RegistrationState.WAITING,
                                                                   people__lte=F("meeting__capacity"))))
    }
    left = {}
    for pk, capacity in limited.items():
        row = counted.get(pk, {})
        left[pk] = 0 if row.get("waiting") else max(0, capacity - (row.get("taken") or 0))
    return left


def _release(meeting, now, seats=None):
    """Lapse the holds whose time is up; they free their seats. ``seats``: read since the last change."""
    if seats is None or seats.lapsed:
        meeting.registrations.filter(state__in=(RegistrationState.PENDING, RegistrationState.OFFERED),
                                     held_until__lte=now).update(state=RegistrationState.EXPIRED, held_until=None)


def _offer(meeting, now, seats=None):
    """Offer free seats to the waiting list, in order. Returns those offered, the
    seats still free (None without a limit) and whether anyone who could fit still waits.
    ``seats``: read since the last change (a lapsed hold held no seat in ``taken`` either)."""
    free = None
    if meeting.capacity is not None:
        free = meeting.capacity - (taken(meeting, now) if seats is None or seats.taken is None else seats.taken)
    waiting = []
    if seats is None or seats.waiting:
        waiting = list(meeting.registrations.filter(state=RegistrationState.WAITING).order_by("queued_at", "pk"))
    if meeting.capacity is not None:
        # More than the meeting will ever seat (its seats were cut): such a party must not block the line.
        waiting = [registration for registration in waiting if registration.people <= meeting.capacity]
    if meeting.starts_at <= now or meeting.cancelled or not meeting.live:
        return [], free, bool(waiting)
    until = min(now + offer_time(), meeting.starts_at)
    offered = []
    for registration in waiting:
        if free is not None and registration.people > free:
            return offered, free, True
        registration.state, registration.held_until = RegistrationState.OFFERED, until
        registration.save(update_fields=["state", "held_until"])
        offered.append(registration)
        if free is not None:
            free -= registration.people
    return offered, free, False


def _after_commit(offered, told):
    if offered:
        transaction.on_commit(lambda: told(offered, "offered"))


def sign_up(meeting, *, confirmed=False, now=None, told=None, then=None, **details):
    """A new sign-up to ``meeting``: it holds seats if they are free and no one
    waits for them, else joins the waiting list. ``confirmed`` (staff entering a
    sign-up by phone) needs no email link. ``told(registrations, event)`` is
    called after the commit for those offered seats meanwhile; ``then(registration)`` inside the
    transaction, once the sign-up is stored (what must commit with it, or not at all)."""
    # The time is read under the lock, so that the line is in the order the sign-ups got it.
    with _seats(meeting, now) as counted:
        now = counted.now
        _release(meeting, now, counted)
        offered, free, waiting = _offer(meeting, now, counted)
        fits = free is None or (not waiting and details.get("people", 1) <= free)
        if not fits:
            state, held_until = RegistrationState.WAITING, None
        elif confirmed:
            state, held_until = RegistrationState.CONFIRMED, None
        else:
            state, held_until = RegistrationState.PENDING, now + hold()
        registration = Registration.objects.create(
            meeting=meeting, state=state, held_until=held_until, created_at=now, queued_at=now,
            confirmed_at=now if state == RegistrationState.CONFIRMED else None,
            key=secrets.token_urlsafe(24), **details)
        if then:
            then(registration)
    if told:
        _after_commit(offered, told)
    return registration


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    TOO_LATE = "too_late"


def confirm(registration, now=None, told=None):
    """The email link's button: a held seat becomes confirmed. A hold that ran
    out takes a seat if one is free and no one waits, else rejoins the waiting
    list at its end. Returns an ``Outcome``."""
    meeting = registration.meeting
    with _seats(meeting, now) as counted:  # the time under the lock, as in sign_up
        now = counted.now
        _release(meeting, now, counted)
        offered, free, waiting = _offer(meeting, now, counted)
        registration.refresh_from_db()
        state = registration.state
        if state == RegistrationState.CONFIRMED:
            outcome = Outcome.ALREADY
        elif state == RegistrationState.CANCELLED:
            outcome = Outcome.CANCELLED
        elif meeting.starts_at <= now or meeting.cancelled:
            outcome = Outcome.TOO_LATE
        elif state == RegistrationState.WAITING:
            outcome = Outcome.WAITING
        elif state in (RegistrationState.PENDING, RegistrationState.OFFERED):
            registration.state, registration.held_until, registration.confirmed_at = (
                RegistrationState.CONFIRMED, None, now)
            registration.save(update_fields=["state", "held_until", "confirmed_at"])
            outcome = Outcome.CONFIRMED
        else:  # lapsed: back in line, as if signing up now (with the address already shown to work)
            registration.queued_at = now
            if free is None or (not waiting and registration.people <= free):
                registration.state, registration.confirmed_at = RegistrationState.CONFIRMED, now
                outcome = Outcome.CONFIRMED
            else:
                registration.state = RegistrationState.WAITING
                outcome = Outcome.WAITING
            registration.save(update_fields=["state", "queued_at", "confirmed_at"])
    if told:
        _after_commit(offered, told)
    return outcome


def cancel(registration, now=None, told=None, only_if=None):
    """Cancel a sign-up; its seats go to the waiting list. Returns whether it changed. ``only_if``:
    the states it may be cancelled from (as read under the lock), by default any but cancelled."""
    now = now or timezone.now()
    meeting = registration.meeting
    with _seats(meeting, now):
        registration.refresh_from_db()
        changed = (registration.state != RegistrationState.CANCELLED and meeting.ends_at > now
                   and (only_if is None or registration.state in only_if))
        if changed:
            registration.state, registration.held_until, registration.cancelled_at = (
                RegistrationState.CANCELLED, None, now)
            registration.save(update_fields=["state", "held_until", "cancelled_at"])
        _release(meeting, now)
        offered = _offer(meeting, now)[0]
    if told:
        _after_commit(offered, told)
    return changed


def refresh(meeting, now=None, told=None):
    """Lapse the holds whose time is up and offer what is free (the hourly job,
    and a meeting republished with more seats). Returns those offered."""
    now = now or timezone.now()
    with _seats(meeting, now) as counted:
        _release(meeting, now, counted)
        offered = _offer(meeting, now, counted)[0]
    if told:
        _after_commit(offered, told)
    return offered


def waiting_position(registration):
    """1 for the first in the waiting list."""
    ahead = Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    return registration.meeting.registrations.filter(ahead, state=RegistrationState.WAITING).count() + 1
