"""The themes of a dialog's contributions, for the officials who compile the
result: the most used words and phrases, each linking to the contributions in
the inbox. Only for those who moderate the dialog; another dialog is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin.inbox_forms import moderated_dialogs
from wagtail_dialog.contributions import ContributionStatus, get_contribution_model, permissions
from wagtail_dialog.search import elastic as search_elasticsearch
from wagtail_dialog.search.themes import significant_themes, themes

#: Contributions that count: what residents said, whether published yet or not.
COUNTED = (ContributionStatus.PENDING, ContributionStatus.PUBLISHED)


class ThemesMixin(WagtailAdminTemplateMixin):
    header_icon = "tag"
    breadcrumbs_items = []  # otherwise the header shows only "Home", not the title

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_use_inbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def inbox_url(self, **query):
        return reverse("wagtail_dialog_contributions:index") + "?" + urlencode(query)


class ThemesIndexView(ThemesMixin, TemplateView):
    template_name = "wagtail_dialog/admin/themes/index.html"
    page_title = _("Themes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dialogs"] = [
            {"dialog": dialog, "url": reverse("wagtail_dialog_themes", args=[dialog.pk])}
            for dialog in moderated_dialogs(self.request.user)
        ]
        return context


class ThemesView(ThemesMixin, TemplateView):
    template_name = "wagtail_dialog/admin/themes/dialog.html"

    def dispatch(self, request, *args, **kwargs):
        self.dialog = moderated_dialogs(request.user).filter(pk=kwargs["dialog_id"]).first()
        if self.dialog is None and permissions.can_use_inbox(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Themes")

    def get_page_subtitle(self):
        return self.dialog.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtail_dialog_themes_index"), "label": gettext("Themes")},
            {"url": "", "label": self.dialog.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contributions = get_contribution_model()._default_manager.filter(dialog=self.dialog, status__in=COUNTED)
        texts = list(contributions.values_list("text", flat=True).iterator(chunk_size=2000))
        words, phrases = themes(texts)
        if search_elasticsearch.enabled():
            # The words that set this dialog's contributions apart from all others.
            words = significant_themes(search_elasticsearch.significant_words(self.dialog.pk, COUNTED))

        def linked(found):
            return [{"theme": theme, "url": self.inbox_url(dialog=self.dialog.pk, q=theme.label)} for theme in found]

        context.update(dialog=self.dialog, total=len(texts), words=linked(words), phrases=linked(phrases),
                       significant=search_elasticsearch.enabled(),
                       inbox_url=self.inbox_url(dialog=self.dialog.pk))
        return context
