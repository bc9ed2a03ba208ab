"""A site's own page that uses the dialog blocks: proves they work outside dialog pages."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_dialog.blocks import DialogContentBlock


class PolicyPage(Page):
    body = StreamField(DialogContentBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    template = "testapp/policy_page.html"
