"""A meeting's sign-ups as CSV and XLSX: one row per sign-up, streamed in
chunks (``contributions.exports``: formula cells neutralised, XLSX spooled to
disk when large).

Names, contact details and needs are personal data: those columns are there
only for those allowed to see personal data."""

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import exports as spreadsheets
from wagtail_dialog.methods.meetings.seats import Registration

#: The fields a row is read from.
FIELDS = ("created_at", "state", "people", "channel", "attended", "confirmed_at", "cancelled_at", "name", "email",
          "phone", "needs_interpretation", "needs_access", "needs_diet")
PERSONAL = {"name", "email", "phone", "needs_interpretation", "needs_access", "needs_diet"}


def columns(personal_data=False):
    """The export's columns. Choice labels and times are worked out now, in the
    admin user's language and time zone, not per row while the file streams."""
    zone = timezone.get_current_timezone()
    yes_no = {True: force_str(_("Yes")), False: force_str(_("No"))}

    def reader(name, field):
        if field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}
            return lambda row: labels.get(row[name], row[name])
        if name.endswith("_at"):
            return lambda row: spreadsheets.local_time(row[name], zone)
        if name == "attended":
            return lambda row: yes_no[bool(row[name])]
        return lambda row: row[name]

    def column(name):
        field = Registration._meta.get_field(name)
        return spreadsheets.Column(name, capfirst(field.verbose_name), (name,), reader(name, field),
                                   personal=name in PERSONAL)

    return [column(name) for name in FIELDS if personal_data or name not in PERSONAL]


#: The rows in lists, read as plain values: memory stays flat.
chunks = spreadsheets.values_chunker(FIELDS)


def csv_response(registrations, columns, filename):
    return spreadsheets.csv_response(registrations, columns, filename, chunker=chunks)


def xlsx_response(registrations, columns, filename, title):
    return spreadsheets.xlsx_response(registrations, columns, filename, title=title, chunker=chunks)
