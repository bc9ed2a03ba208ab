"""The form a resident fills in on a dialog page to send a contribution.

Everything is checked here, on the server: text arrives as typed in any
browser, pasted from anywhere or sent by a script, so each text field is
normalised (Unicode NFC, line breaks as ``\\n``, surrounding whitespace
stripped) and refused when it holds control characters. Names and email
addresses must stay on one line: they may end up in places where a line break
starts something new (an email header, a CSV row).
"""

import codecs
import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from wagtail_dialog.contributions import Relation

#: The name of the honeypot field. People never see it; simple bots fill in
#: anything that looks like a website field.
HONEYPOT = "website"

NAME_MAX_LENGTH = 100  # AbstractContribution.name
EMAIL_MAX_LENGTH = 254  # AbstractContribution.email
AREA_MAX_LENGTH = 100  # AbstractContribution.area
PLACE_MAX_LENGTH = 200  # AbstractContribution.place
#: The largest cost the form takes: a trillion kronor is more than any municipality's budget.
COST_MAX = 10**12

_ALLOWED_CONTROLS = {"\n", "\t"}
_LINE_BREAKS = {"\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def _has_control_characters(value, allowed):
    return any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in value)


def shown(value):
    """``value`` as it is shown back in a refused form: control characters other
    than tab and line breaks become U+FFFD (�), so the resident sees where they
    are, and the page stays valid HTML (a NUL character is not allowed in it)."""
    return _HIDDEN.sub("\ufffd", value) if isinstance(value, str) else value


#: Unicode's control characters (category Cc) but tab and line breaks, and lone surrogates (Cs).
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class ShownBoundField(forms.BoundField):
    """A field whose value, shown back in the form, goes through :func:`shown`."""

    def value(self):
        return shown(super().value())


def dialog_site_settings(request, dialog):
    """The citizen-dialogue settings of the site serving ``request`` (cached on
    the request), or of the dialog's own site; None when there is no site."""
    from wagtail.models import Site

    from wagtail_dialog.dialogs.site_settings import settings_for_site

    if not hasattr(request, "_wagtail_dialog_site_settings"):
        site = Site.find_for_request(request) or dialog.get_site()
        request._wagtail_dialog_site_settings = settings_for_site(site) if site else None
    return request._wagtail_dialog_site_settings


def posted_data(request):
    """``request.POST``, except that a urlencoded body that is not valid UTF-8
    is read with the broken bytes as U+FFFD, which the fields then refuse with
    a clear message. (Django would instead read the whole body as Latin-1 and
    store garbled text.)"""
    encoding = request.encoding or settings.DEFAULT_CHARSET
    if request.content_type == "application/x-www-form-urlencoded" and codecs.lookup(encoding).name == "utf-8":
        body = request.body
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return QueryDict(body.decode("utf-8", errors="replace"), encoding="utf-8")
    return request.POST


class PlainTextField(forms.CharField):
    """A CharField that normalises text and refuses control characters.

    ``multiline`` fields keep newlines (and tabs); one-line fields refuse every
    line break, including Unicode's own line and paragraph separators.
    """

    bound_field_class = ShownBoundField
    multiline = False
    default_error_messages = {
        "control": _("Remove the invisible control characters from the text."),
        "line_break": _("Write this on one line, without line breaks."),
        "unreadable": _(
            "Part of the text could not be read (it shows as �). Remove those characters or write them again."
        ),
        "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)."),
    }

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("strip", False)  # stripped below, after normalising
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        if self.multiline:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        elif any(char in _LINE_BREAKS for char in value.strip()):
            raise ValidationError(self.error_messages["line_break"], code="line_break")
        if _has_control_characters(value, _ALLOWED_CONTROLS if self.multiline else set()):
            raise ValidationError(self.error_messages["control"], code="control")
        # U+FFFD is what a broken byte sequence decodes to: the text did not
        # arrive as written.
        if "\ufffd" in value:
            raise ValidationError(self.error_messages["unreadable"], code="unreadable")
        return unicodedata.normalize("NFC", value).strip()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # No maxlength attribute: browsers silently cut pasted text at the
        # limit. The limit is in the help text and checked on the server.
        attrs.pop("maxlength", None)
        return attrs


class PlainEmailField(forms.EmailField):
    bound_field_class = ShownBoundField
    default_error_messages = {
        "invalid": _("Enter an email address in the form name@example.se."),
        "line_break": _("Write the email address on one line, without line breaks."),
        "control": _("Remove the invisible control characters from the email address."),
        "max_length": _("An email address can be at most %(limit_value)d characters long (this is %(show_value)d)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        value = str(value)
        if any(char in _LINE_BREAKS for char in value.strip()):
            raise ValidationError(self.error_messages["line_break"], code="line_break")
        if _has_control_characters(value, set()):
            raise ValidationError(self.error_messages["control"], code="control")
        return unicodedata.normalize("NFC", value).strip()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class KronorField(forms.CharField):
    """A sum in whole kronor as a resident writes it: "50000", "50 000", "50 000 kr" or "50 000:-"."""

    default_error_messages = {
        "invalid": _("Write the cost in whole kronor, e.g. 50 000."),
        "too_large": _("Write a cost of at most %(limit)s kronor."),
    }
    _SPACES = re.compile(r"[\s\u00a0\u202f]")
    _SUFFIX = re.compile(r"(kr|kronor|sek|:-)$", re.IGNORECASE)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        # As a model form's field: the bounds are this field's own (0 to COST_MAX).
        kwargs.pop("min_value", None), kwargs.pop("max_value", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        digits = self._SPACES.sub("", self._SUFFIX.sub("", value.strip().lower()).strip())
        if not re.fullmatch("[0-9]{1,15}", digits):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if int(digits) > COST_MAX:
            raise ValidationError(self.error_messages["too_large"], code="too_large",
                                  params={"limit": f"{COST_MAX:,}".replace(",", "\u00a0")})
        return int(digits)


class ResidentForm(forms.Form):
    """What the forms residents send share: a bot trap (``website``), a length
    limit that says how much to cut, and an error summary in the order of the form."""

    website = forms.CharField(label=_("Leave this empty"), required=False, strip=False)

    #: ngettext_lazy(singular, plural, "over"), with %(length)d, %(limit)d and %(over)d.
    too_long_message = None
    honeypot_message = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bot trap last, after a subclass's own fields (the error summary follows this order).
        self.fields[HONEYPOT] = self.fields.pop(HONEYPOT)

    def checked_length(self, text, limit):
        if len(text) > limit:
            over = len(text) - limit
            raise ValidationError(
                self.too_long_message, code="max_length", params={"length": len(text), "limit": limit, "over": over}
            )
        return text

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT, "").strip():
            raise ValidationError(self.honeypot_message, code="honeypot")
        return ""

    def error_links(self):
        """(anchor id, message) for the error summary, in the order of the form."""
        links = [(None, error) for error in self.non_field_errors()]
        for name in self.fields:
            for error in self.errors.get(name, ()):
                links.append((self.anchor_for(name), error))
        return links

    def anchor_for(self, name):
        """The id the error summary links to for field ``name``: the first of a group's inputs, where it has them."""
        bound = self[name]
        return bound.id_for_label or bound.auto_id


class ContributionForm(ResidentForm):
    """A contribution to one dialog. ``areas`` are the site's districts or villages
    (``DialogSiteSettings.area_choices()``); without any the area field is left out."""

    text = PlainTextField(
        label=_("Your contribution"),
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write your contribution.")},
    )
    name = PlainTextField(
        label=_("Your name (optional)"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("Shown with your contribution if it is published. Leave it empty if you do not want your name "
                    "shown."),
    )
    email = PlainEmailField(
        label=_("Your email address (optional)"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        help_text=_(
            "We do not publish it on the website. We only use it to tell you what happens with your contribution "
            "and what came of the dialogue, if you tick the box below."
        ),
    )
    notify = forms.BooleanField(
        label=_("Tell me by email what happens with my contribution and what came of the dialogue"),
        required=False,
    )
    relation = forms.ChoiceField(
        label=_("How are you connected to the municipality? (optional)"),
        required=False,
        help_text=_("Only for statistics on who took part."),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )
    area = forms.ChoiceField(
        label=_("Area (optional)"),
        required=False,
        help_text=_("The district or village your contribution is about, if any."),
        error_messages={"invalid_choice": _("Choose one of the areas in the list.")},
    )
    #: Only where the dialog collects ideas for a participatory budget (``DialogPage.collects_ideas``).
    estimated_cost = KronorField(
        label=_("What do you think it would cost? (optional)"),
        help_text=_("In kronor, a rough guess is fine. The municipality makes its own estimate."),
    )
    place = PlainTextField(
        label=_("Where? (optional)"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_("A place, a street or a village the idea is for."),
    )
    #: Only where the dialog asks for a tick (``dialogs.legal_basis.asks_to_tick``): consent, where
    #: that is the legal basis, or a site's "I have read" acknowledgement. The notice above says what
    #: is kept and what is shown: the box says it once, not again.
    consent = forms.BooleanField(label=_("I have read how my personal data is handled."))

    TICK_TEXTS = {
        "consent": (
            _("I consent to the municipality processing my personal data as described above."),
            _("Tick the box to consent. Without your consent the municipality cannot store your contribution."),
        ),
        "acknowledgement": (
            _("I have read how my personal data is handled."),
            _("Tick the box to confirm that you have read how your personal data is handled."),
        ),
    }

    def __init__(self, *args, dialog, areas=(), asks_to_tick=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dialog = dialog
        if asks_to_tick in self.TICK_TEXTS:
            label, required = self.TICK_TEXTS[asks_to_tick]
            self.fields["consent"].label = label
            self.fields["consent"].error_messages["required"] = required
        else:
            del self.fields["consent"]
        self.max_length = dialog.contribution_max_length
        if getattr(dialog, "collects_ideas", False):
            self.order_fields(["text", "estimated_cost", "place"])  # as the template shows them
        else:
            del self.fields["estimated_cost"], self.fields["place"]
        self.fields["text"].help_text = ngettext(
            "At most %(limit)d character. Write about the question. Leave out details about other people, and "
            "sensitive details about yourself such as your health.",
            "At most %(limit)d characters. Write about the question. Leave out details about other people, and "
            "sensitive details about yourself such as your health.",
            self.max_length,
        ) % {"limit": self.max_length}
        self.fields["relation"].choices = [("", _("I would rather not say"))] + list(Relation.choices)
        self.fields["relation"].initial = ""
        # Cut to what the model can hold: an over-long line in the site's
        # settings must not make a valid choice fail to save.
        areas = [area[:AREA_MAX_LENGTH] for area in areas if area]
        if areas:
            self.fields["area"].choices = [("", _("No particular area"))] + [(area, area) for area in areas]
        else:
            del self.fields["area"]

    @property
    def has_areas(self):
        return "area" in self.fields

    @property
    def asks_for_ideas(self):
        return "place" in self.fields

    @property
    def asks_to_tick(self):
        return "consent" in self.fields

    @property
    def honeypot_caught(self):
        return HONEYPOT in self.errors

    too_long_message = ngettext_lazy(
        "Your contribution is %(length)d characters long; this dialogue accepts at most %(limit)d. "
        "Shorten it by %(over)d character.",
        "Your contribution is %(length)d characters long; this dialogue accepts at most %(limit)d. "
        "Shorten it by %(over)d characters.",
        "over",
    )
    honeypot_message = _("Your contribution could not be sent. This field must be empty: clear it and send again.")

    def clean_text(self):
        return self.checked_length(self.cleaned_data["text"], self.max_length)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                ValidationError(
                    _("Enter your email address so that we can tell you what happens, or untick the box "
                      "about being told by email."),
                    code="notify_without_email",
                ),
            )
        return cleaned

    def anchor_for(self, name):
        return f"{self[name].auto_id}_0" if name == "relation" else super().anchor_for(name)

    def contribution_data(self):
        """What the form contributes to a Contribution, once valid."""
        data = self.cleaned_data
        notify = bool(data.get("notify"))
        return {
            "text": data["text"],
            "name": data.get("name", ""),
            # The address is only there to tell the author; without the
            # opt-in it has no purpose and is not kept.
            "email": data.get("email", "") if notify else "",
            "notify": notify,
            "relation": data.get("relation", ""),
            "area": data.get("area", ""),
            "estimated_cost": data.get("estimated_cost"),
            "place": data.get("place", ""),
        }
