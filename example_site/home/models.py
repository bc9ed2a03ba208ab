"""The example site's own pages: a home page and a policy page built from the
package's blocks. Dialogs themselves are wagtail_dialog's pages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_dialog.dialogs.blocks import DialogContentBlock
from wagtail_dialog.dialogs.pages import DialogIndexPage, DialogPage
from wagtail_dialog.dialogs.status import DialogStatus, status_filter
from wagtail_dialog.public.dialog_cards import with_published_counts

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HomePage(Page):
    """The municipality's start page: what is open for dialogue right now."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        dialogs = DialogPage.objects.live().public().descendant_of(self).specific()
        context.update(
            open_dialogs=with_published_counts(
                dialogs.filter(status_filter(DialogStatus.OPEN, today)).order_by("closes_on", "title")
            ),
            dialog_index=DialogIndexPage.objects.live().public().descendant_of(self).first(),
            policy_page=PolicyPage.objects.live().public().descendant_of(self).first(),
        )
        return context


class PolicyPage(Page):
    """The municipality's guidelines for citizen dialogue, from the package's blocks."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(DialogContentBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.PolicyPage"]

    class Meta:
        verbose_name = _("policy page")
