"""The ballot a resident fills in: the options in an order of their own, the
code where the vote uses codes, and their own declaration that they may vote.
Staff type paper ballots into the same form (``staff=True``)."""

import random

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions.forms import EMAIL_MAX_LENGTH, PlainEmailField, PlainTextField, ResidentForm
from wagtail_dialog.methods.votes import codes, email_links
from wagtail_dialog.methods.votes.ballots import check_choices
from wagtail_dialog.methods.votes.kinds import Credential, VoteMethod

#: The largest order seed a ballot carries (a hidden field: anything else is replaced).
ORDER_MAX = 2**31 - 1


def shuffled(options, seed):
    """``options`` in an order fixed by ``seed``: each visitor's own, the same at every step; the
    editors' order without one (staff typing in paper ballots)."""
    options = sorted(options, key=lambda option: (option.sort_order or 0, option.pk))
    if seed is not None:
        random.Random(seed).shuffle(options)
    return options


def order_seed(value=None):
    """The seed posted back, or a new one."""
    try:
        seed = int(value)
    except (TypeError, ValueError):
        seed = -1
    return seed if 0 <= seed <= ORDER_MAX else random.SystemRandom().randint(0, ORDER_MAX)


class BallotForm(ResidentForm):
    honeypot_message = _("Your ballot could not be sent. This field must be empty: clear it and send again.")

    order = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = PlainTextField(label=_("Your voting code"), max_length=40,
                          help_text=_("The code on your card or letter, e.g. ABCDE-FGH23. Capital or small letters, "
                                      "with or without the hyphen."),
                          error_messages={"required": _("Write the voting code from your card or letter.")})
    # With email: the link's token, which stands for the address (methods.votes.email_links).
    link = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    # Who may vote is the editors' text, shown beside the box (``vote_ballot.html``): the box says in
    # the resident's own words that they are among them.
    eligible = forms.BooleanField(label=_("I may vote in this vote"),
                                  error_messages={"required": _("Tick the box if you may vote: only those who may "
                                                                "vote can take part.")})

    def __init__(self, *args, vote, options, seed, code_limited=False, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.staff = staff
        self.ballot_options = shuffled(options, seed)
        self.code_limited = code_limited
        self.code_state = None
        self.checked = None
        self.fields["order"].initial = seed
        choices = [(str(option.pk), option.title) for option in self.ballot_options]
        if vote.method == VoteMethod.ONE:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect,
                                      error_messages={"required": _("Choose an option.")})
        else:
            field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                              error_messages={"required": _("Choose at least one option.")})
        field.label = _("Your choice") if vote.method == VoteMethod.ONE else _("Your choices")
        field.error_messages["invalid_choice"] = _("One of your choices is not on the ballot (any longer). Check "
                                                   "your choices again.")
        self.fields = {"options": field, **self.fields}
        if staff:
            # A paper ballot: typed in with the code written on it, or without one when staff checked
            # at the table that the voter may vote.
            self.fields["code"].required = False
            self.fields["code"].label = _("The voting code on the ballot")
            self.fields["code"].help_text = _("Leave it empty for a ballot cast where staff checked in person "
                                              "that the voter may vote.")
            self.fields["eligible"] = forms.BooleanField(
                required=False, label=_("No code: staff checked in person that the voter may vote"))
            del self.fields["order"]
        elif vote.credential != Credential.CODE:
            del self.fields["code"]
        if staff or vote.credential != Credential.EMAIL:
            del self.fields["link"]
        self.link = None
        if staff:
            self.fields = {name: self.fields[name] for name in ("options", "code", "eligible", "website")}
            return
        # The form's own order: options, code, declaration, then the bot trap (ResidentForm).
        self.fields = {name: self.fields[name] for name in ("options", "code", "link", "eligible", "order",
                                                            "website") if name in self.fields}

    def clean_options(self):
        value = self.cleaned_data["options"]
        return [value] if isinstance(value, str) else list(value)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if self.staff and not code:
            return code
        if self.code_limited:
            raise forms.ValidationError(_("Too many wrong codes have been tried from here. Wait a while and try "
                                          "again; your choices are kept."), code="limited")
        self.code_state = codes.code_state(self.vote, code)
        if self.code_state == "voided":
            raise forms.ValidationError(_("This code no longer works: the municipality has withdrawn it. Ask for a "
                                          "new one where you got it."), code="voided")
        if self.code_state != "valid":
            raise forms.ValidationError(_("The code is not right. Check it against your card: it has ten letters "
                                          "and digits, and never the letters O, I or L."), code="unknown")
        return code

    def clean_link(self):
        found = email_links.read(self.vote, self.cleaned_data["link"])
        if found == "used":
            raise forms.ValidationError(_("This link has already cast its ballot. To change your ballot, ask for a "
                                          "new link: the last ballot counts."), code="used")
        if isinstance(found, str):
            raise forms.ValidationError(_("The link to the ballot no longer works (it is older than two days, or was "
                                          "not copied whole). Ask for a new one."), code=found)
        self.link = found
        return self.cleaned_data["link"]

    def clean(self):
        cleaned = super().clean()
        if self.staff and not cleaned.get("code") and not cleaned.get("eligible") and "code" not in self.errors:
            self.add_error("eligible", _("Type in the code from the ballot, or tick that the voter's eligibility "
                                         "was checked in person."))
        if self.staff and cleaned.get("code") and cleaned.get("eligible"):
            self.add_error("eligible", _("A ballot with a code needs no check in person: untick this, or leave "
                                         "the code empty."))
        if "options" in cleaned:
            self.checked = check_choices(self.vote, self.ballot_options, cleaned["options"])
            for error in self.checked.errors:
                self.add_error("options", error)
        return cleaned

    def total(self):
        """The chosen options' total cost, as far as the posted choices say (for the running total)."""
        if self.checked is not None:
            return self.checked.total
        chosen = set(self.data.getlist("options")) if self.is_bound else set()
        return sum(option.cost or 0 for option in self.ballot_options if str(option.pk) in chosen)

    def chosen_ids(self):
        if not self.is_bound:
            return set()
        return set(self.data.getlist("options"))


class LinkForm(ResidentForm):
    """With email: the address the link to the ballot is sent to."""

    honeypot_message = _("Your address could not be sent. This field must be empty: clear it and send again.")

    email = PlainEmailField(
        label=_("Your email address"), max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send a link there that opens your ballot. We do not keep the address."),
        error_messages={"required": _("Write your email address: the link to your ballot is sent there.")})
