"""Panels of the dialog page's editor that Wagtail does not have as they are."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel
from wagtail.admin.widgets import AdminTagWidget


class ListInlinePanel(InlinePanel):
    """An InlinePanel whose add button says what it adds, in a whole phrase.

    Wagtail writes the button as "Add {label}" from the label that also heads
    every item, which reads "Add Fixed by" for a label that suits the heading.
    ``add_label`` is the button's whole text ("Add a limit") instead.
    """

    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "wagtail_dialog/admin/inline_panel.html"


class TagWidget(AdminTagWidget):
    """Wagtail's tag field, with its generated input labelled (see admin-tags.js)
    and a help text of our own: Wagtail's ("Multi-word tags with spaces will
    automatically be enclosed in double quotes") has no Swedish translation, and
    speaks of quotes an editor never types."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if getattr(settings, "WAGTAIL_TAG_SPACES_ALLOWED", True):
            context["widget"]["help_text"] = _("Press Enter or type a comma after each tag. A tag may have several words.")
        else:
            context["widget"]["help_text"] = _("Press Enter or type a comma after each tag. A tag is one word, without spaces.")
        return context

    class Media:
        js = ["wagtail_dialog/admin-tags.js"]
