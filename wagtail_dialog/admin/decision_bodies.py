from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_dialog.dialogs.decision_bodies import DecisionBody


class DecisionBodyViewSet(SnippetViewSet):
    model = DecisionBody
    icon = "group"
    menu_label = _("Decision bodies")
    add_to_admin_menu = False
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
