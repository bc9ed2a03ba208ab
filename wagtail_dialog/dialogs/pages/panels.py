"""Panels of the dialog page's editor that Wagtail does not have as they are."""

from wagtail.admin.panels import InlinePanel


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
