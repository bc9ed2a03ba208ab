"""The sign-up form a resident sends, and the one staff fill in for someone
who phoned, wrote or came by."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from wagtail_dialog.contributions.forms import EMAIL_MAX_LENGTH, PlainEmailField, PlainTextField, ResidentForm
from wagtail_dialog.methods.meetings.seats import STAFF_CHANNELS

NEED_MAX_LENGTH = 300  # Registration.needs_*
PHONE_CHARACTERS = set("0123456789+-() ")


class SignUpForm(ResidentForm):
    """A resident signs up for a meeting; ``meeting`` sets the largest party."""

    honeypot_message = _("Your sign-up could not be sent. This field must be empty: clear it and send again.")

    name = PlainTextField(label=_("Your name"), max_length=200,
                          error_messages={"required": _("Write your name, so that we know who is coming.")})
    email = PlainEmailField(
        label=_("Your email address"), max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send the link that confirms your seat, a calendar file and a reminder to it."),
        error_messages={"required": _("Write your email address: the link that confirms your seat is sent "
                                      "there. No email? Call us and we sign you up.")},
    )
    people = forms.IntegerField(label=_("How many are you, yourself included?"), min_value=1, initial=1,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    needs_interpretation = PlainTextField(
        label=_("Interpretation (optional)"), required=False, max_length=NEED_MAX_LENGTH,
        help_text=_("Sign language or another language you would like interpreted."))
    needs_access = PlainTextField(label=_("Access (optional)"), required=False, max_length=NEED_MAX_LENGTH,
                                  help_text=_("Wheelchair, guide dog, seeing or hearing: what helps you take part."))
    needs_diet = PlainTextField(label=_("Food and allergies (optional)"), required=False,
                                max_length=NEED_MAX_LENGTH)
    consent = forms.BooleanField(
        label=_("I agree that the municipality keeps my name, email address and needs to run the meeting, and "
                "removes them afterwards as described above."),
        error_messages={"required": _("Tick the box to agree. Without it we cannot keep your seat.")},
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        party = self.fields["people"]
        # One limit, the stricter: a party larger than the whole meeting would wait for ever.
        if meeting.capacity is not None and meeting.capacity < meeting.max_party:
            party.max_value = meeting.capacity
            party.validators.append(_at_most_seats(meeting.capacity))
        else:
            party.max_value = meeting.max_party
            party.validators.append(_at_most(meeting.max_party))
        party.error_messages.update({
            "required": _("Write how many you are."),
            "invalid": _("Write the number of people in digits, for example 2."),
            "min_value": _("Write how many you are: at least 1."),
        })
        party.widget.attrs.update({"min": 1, "max": party.max_value})

    def details(self):
        """The sign-up's own fields, as ``seats.sign_up`` takes them."""
        data = self.cleaned_data
        return {key: data.get(key, "") for key in (
            "name", "email", "needs_interpretation", "needs_access", "needs_diet")} | {"people": data["people"]}


def _at_most(limit):
    def check(value):
        if value is not None and value > limit:
            raise ValidationError(
                ngettext_lazy("At most %(limit)d person can sign up at a time. Sign up the others separately.",
                              "At most %(limit)d people can sign up at a time. Sign up the others separately.",
                              "limit") % {"limit": limit}, code="max_party")
    return check


def _at_most_seats(capacity):
    def check(value):
        if value is not None and value > capacity:
            raise ValidationError(
                ngettext_lazy("The meeting has %(capacity)d seat in all: sign up at most %(capacity)d person.",
                              "The meeting has %(capacity)d seats in all: sign up at most %(capacity)d people.",
                              "capacity") % {"capacity": capacity}, code="over_capacity")
    return check


class StaffSignUpForm(SignUpForm):
    """Staff sign someone up who phoned or came by: an email or a phone number,
    the channel it came by; confirmed at once."""

    phone = PlainTextField(label=_("Phone"), required=False, max_length=40)
    channel = forms.ChoiceField(label=_("Came in by"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    consent = forms.BooleanField(label=_("They agreed that we keep their name, contact details and needs until "
                                         "the meeting's data is removed."))

    field_order = ["name", "email", "phone", "people", "needs_interpretation", "needs_access", "needs_diet",
                   "channel", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = False
        self.fields["email"].label = _("Email (optional)")
        self.fields["email"].help_text = _("Where the confirmation, calendar file and reminder go.")
        self.fields["people"].label = _("Number of people")
        # Staff fill this in for someone else: the labels speak of that person, not to the reader.
        self.fields["name"].label = _("Name")
        self.fields["needs_interpretation"].help_text = _(
            "Sign language or another language they would like interpreted.")
        self.fields["needs_access"].help_text = _("Wheelchair, guide dog, seeing or hearing: what helps them take part.")

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        if phone and not set(phone) <= PHONE_CHARACTERS:
            raise ValidationError(_("Write the phone number with digits, spaces, +, - and brackets only."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("phone", _("Give an email address or a phone number, so that they can be told of "
                                      "changes."))
        return cleaned

    def details(self):
        return super().details() | {"phone": self.cleaned_data.get("phone", ""),
                                    "channel": self.cleaned_data["channel"]}
