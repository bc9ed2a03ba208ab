"""The dialog index page: lists the dialogs below it, filterable by status,
level and tag, searchable in Swedish, and publishes their open data."""

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.dialogs.filters import DialogFilterForm
from wagtail_dialog.dialogs.pages.dialog import DialogPage, DialogPageTag
from wagtail_dialog.dialogs.status import status_filter
from wagtail_dialog.followup import open_data
from wagtail_dialog.methods.base import RESERVED_SLUGS, way_at
from wagtail_dialog.methods.meetings import meeting_list, upcoming
from wagtail_dialog.public import contribution_link
from wagtail_dialog.public.dialog_cards import with_published_counts
from wagtail_dialog.search.public import dialog_facets, find
from wagtail_dialog.shared_cache import purge
from wagtail_dialog.shared_cache.headers import for_everyone


class DialogIndexPage(Page):
    """Lists the dialogs below it, filterable by status, level and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    subpage_types = ["wagtail_dialog.DialogPage"]
    template = "wagtail_dialog/pages/dialog_index_page.html"

    class Meta:
        verbose_name = _("dialog index page")
        verbose_name_plural = _("dialog index pages")

    def route(self, request, path_components):
        """Find a dialog below in one query: the children are dialog pages, so
        the generic page lookup and its ``.specific`` query fold into one."""
        if not path_components:
            return super().route(request, path_components)
        if open_data.answers(request, path_components):
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"open_data_path": list(path_components)})
        if meeting_list.answers(request, path_components):
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"meetings_path": list(path_components)})
        if len(path_components) > 1 and path_components[1] not in RESERVED_SLUGS:
            # A way to take part below a dialog: found straight from here (its dialog is read only if
            # it needs it: a meeting's sign-up does not), and every sign-up and answer pays for this.
            way = way_at(f"{self.url_path}{path_components[0]}/{path_components[1]}/", self.depth + 2, self.path)
            if way is not None:
                return way.route(request, path_components[2:])
        # By url_path, which Wagtail keeps for every page: one equality is
        # cheaper to build and run than treebeard's child_of (a LIKE on path
        # and two depth tests), and a POST pays for this lookup on every
        # contribution sent. url_path is not indexed, but the join starts
        # from the dialog pages, few beside all pages. The tree position is
        # checked here so that a page of another tree with the same url_path
        # (another site's root could share slugs) is never taken. No ORDER BY:
        # it adds nothing to one row, and Django hashes every selected column
        # (some sixty) to build it. The decision body comes in the same query:
        # the page names it, and a join costs less than a query of its own.
        candidates = DialogPage.objects.filter(url_path=f"{self.url_path}{path_components[0]}/").order_by()
        candidates = candidates.select_related("decision_body", "locale")
        dialog = next(
            (page for page in candidates if page.depth == self.depth + 1 and page.path.startswith(self.path)), None
        )
        if dialog is None:
            # Not a dialog page: perhaps a child from before subpage_types, or a 404.
            return super().route(request, path_components)
        dialog._cached_parent_obj = self
        return dialog.route(request, path_components[1:])

    def serve(self, request, *args, open_data_path=None, meetings_path=None, **kwargs):
        # Served here, after Wagtail's checks (a private index keeps its data private).
        if open_data_path is not None:
            return for_everyone(request, open_data.respond(self, request, open_data_path))
        if meetings_path is not None:
            return for_everyone(request, meeting_list.respond(self, request, meetings_path))
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return for_everyone(request, super().serve(request, *args, **kwargs))

    def get_cached_paths(self):
        # What a shared cache keeps of this page, for wagtail.contrib.frontend_cache to purge.
        every = self.dialogs()
        return purge.index_paths(
            dialog_count=every.count(), per_page=dialog_setting("INDEX_PER_PAGE"),
            tags=[slug for slug, _name in self.tag_choices(every)], below=upcoming.index_paths(self.path),
        )

    def dialogs(self):
        # Newest first; pages without an opening date (information pages) last
        # on every database, not only where NULLs happen to sort last.
        return (
            DialogPage.objects.live()
            .public()
            .child_of(self)
            .specific()
            .order_by(F("opens_on").desc(nulls_last=True), "title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        every = self.dialogs()
        form = DialogFilterForm(request.GET or None, tag_choices=self.tag_choices(every))
        # Invalid values show their errors next to the fields, and the
        # unfiltered list below: never an empty page or an error page.
        chosen = form.chosen()
        query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        per_page = dialog_setting("INDEX_PER_PAGE")
        if query:
            findings = find(every, query, chosen)
            # Paginated by count: the hits of the page are fetched on their own.
            paginator = Paginator(range(findings.total), per_page)
            page_obj = paginator.get_page(request.GET.get("page"))
            offset = (page_obj.number - 1) * per_page
            facets, hits, dialogs = findings.facets, findings.hits(offset, per_page), []
            for hit in hits:
                if hit.contribution is not None:
                    hit.url = contribution_link.address(hit.dialog.get_url(request), hit.contribution, query)
        else:
            dialogs = every
            today = timezone.localdate()
            if chosen["status"]:
                dialogs = dialogs.filter(status_filter(chosen["status"], today))
            if chosen["level"]:
                dialogs = dialogs.filter(participation_level=chosen["level"])
            if chosen["tag"]:
                dialogs = dialogs.filter(tags__slug=chosen["tag"]).distinct()
            paginator = Paginator(dialogs, per_page)
            page_obj = paginator.get_page(request.GET.get("page"))
            dialogs, hits, facets = with_published_counts(page_obj.object_list, request), [], dialog_facets(every, chosen)
        context.update(
            filter_form=form,
            filter_fields=form.fields_with_counts(facets),
            search_query=query,
            search_hits=hits,
            dialogs=dialogs,
            page_obj=page_obj,
            paginator=paginator,
            filter_querystring=form.querystring() if form.is_bound and form.is_valid() else "",
            meetings_path=f"{upcoming.LIST_PATH}/" if upcoming.upcoming(self.path).exists() else "",
        )
        return context

    @staticmethod
    def tag_choices(dialogs):
        return list(
            DialogPageTag.objects.filter(content_object__in=dialogs)
            .values_list("tag__slug", "tag__name")
            .distinct()
            .order_by("tag__name")
        )
