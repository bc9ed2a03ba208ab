"""The resident-facing filter on a dialog index: a plain GET form, no JavaScript."""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from .levels import ParticipationLevel
from .status import DialogStatus


class DialogFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    level = forms.ChoiceField(label=_("Participation level"), required=False)
    tag = forms.ChoiceField(label=_("Subject"), required=False)

    def __init__(self, *args, tag_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(DialogStatus.choices)
        self.fields["level"].choices = everything + list(ParticipationLevel.choices)
        self.fields["tag"].choices = everything + list(tag_choices)

    def querystring(self):
        """The active filters as a query string, for pagination links."""
        return urlencode({name: value for name, value in self.cleaned_data.items() if value})
