"""The resident-facing filter on a dialog index: a plain GET form, no JavaScript."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.status import DialogStatus


class DialogFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search dialogs and contributions"),
        required=False,
        max_length=200,
        strip=True,
        error_messages={"max_length": _("Search for at most %(limit_value)d characters.")},
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    level = forms.ChoiceField(label=_("Participation level"), required=False)
    tag = forms.ChoiceField(label=_("Subject"), required=False)

    FILTERS = ("status", "level", "tag")

    def __init__(self, *args, tag_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(DialogStatus.choices)
        self.fields["level"].choices = everything + list(ParticipationLevel.choices)
        self.fields["tag"].choices = everything + list(tag_choices)

    def chosen(self):
        """The filter values chosen (valid ones only), by filter name."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data.get(name) or "" for name in self.FILTERS}

    def fields_with_counts(self, facets):
        """(bound field, [(value, label, count)]) for each filter; count is None for "All"."""
        result = []
        for name in self.FILTERS:
            counts = facets.get(name, {})
            choices = [(value, label, counts.get(value, 0) if value else None) for value, label in self.fields[name].choices]
            result.append((self[name], choices))
        return result

    def querystring(self):
        """The active filters as a query string, for pagination links."""
        return urlencode({name: value for name, value in self.cleaned_data.items() if value})
