"""The moderators' inbox: Wagtail's ``ModelViewSet`` for contributions.

- the listing (filters, search, ordering, bulk actions, CSV/XLSX export) and
  the sidebar's menu item with the number waiting, here;
- a contribution's page, where it is moderated, "Register contribution" and
  the history, in ``admin.contribution_page``.

Who sees what is decided in ``contributions.permissions`` (through the policy
in ``admin.policy``): every queryset here is narrowed with
``permissions.moderated_contributions``, so a moderator of one dialog never
reaches another dialog's contributions, not even by guessing an id (404).
Names and emails appear only where ``permissions.can_see_personal_data`` says so.
"""

from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from wagtail_dialog.admin import archive
from wagtail_dialog.admin.contribution_page import (
    ContributionCreateView,
    ContributionDetailView,
    ContributionHistoryView,
)
from wagtail_dialog.admin.inbox_columns import (
    BulkActionsCheckboxColumn,
    ContributionColumn,
    DateColumn,
    InboxTable,
    StatusTagColumn,
)
from wagtail_dialog.admin.inbox_forms import (
    ContributionFilterSet,
    InboxSearchForm,
    RegisterContributionForm,
)
from wagtail_dialog.admin.inbox_listing import (
    LISTING_PARAM,
    ORDERINGS,
    SEARCH_FIELDS,
    inbox_queryset,
    listing_query,
    ordering_of,
    searcher,
)
from wagtail_dialog.admin.policy import PolicyMixin, policy_for
from wagtail_dialog.contributions import Channel, ContributionStatus, exports, get_contribution_model, permissions

#: The menu counts pending contributions up to this many and then says "99+":
#: an exact count of a very full inbox on every admin page would cost a scan.
MENU_COUNT_CAP = 99


def pending_count(user, cap=None):
    """The number of contributions waiting for ``user``'s moderation; with
    ``cap``, counted no further than cap + 1."""
    model = get_contribution_model()
    pending = permissions.moderated_contributions(
        user, model._default_manager.filter(status=ContributionStatus.PENDING)
    ).order_by()
    if cap is not None:
        pending = pending.values("pk")[: cap + 1]
    return pending.count()


class ContributionsMenuItem(MenuItem):
    """The sidebar's "Contributions", with the number waiting for moderation."""

    def is_shown(self, request):
        return permissions.can_use_inbox(request.user)

    def render_component(self, request):
        # Menu items are shared by every request: build the label and attributes
        # per request instead of changing self.label or self.attrs.
        #
        # Wagtail's sidebar has no count badge for a link (its badges are the
        # "new" dot of dismissible items), and its labels do not wrap: the count
        # is a short "(3)" after the label, which fits the sidebar's width, and
        # the link's accessible name says what the number is.
        count = pending_count(request.user, cap=MENU_COUNT_CAP)
        label, attrs, url = self.label, dict(self.attrs), self.url
        if count:
            # What a moderator opens the inbox for: the ones waiting.
            url = f"{self.url}?{urlencode({'status': ContributionStatus.PENDING})}"
            shown = f"{MENU_COUNT_CAP}+" if count > MENU_COUNT_CAP else str(count)
            values = {"label": self.label, "count": shown}
            # Translators: the sidebar menu item with the number of contributions waiting, e.g.
            # "Contributions (3)" or "Contributions (99+)". Keep it short: the sidebar cuts off long labels.
            label = gettext("%(label)s (%(count)s)") % values
            # Translators: what a screen reader says for the sidebar menu item "Contributions (3)".
            # Start with the same words as the visible label.
            attrs["aria-label"] = gettext("%(label)s (%(count)s waiting for moderation)") % values
        return LinkMenuItem(self.name, label, url, icon_name=self.icon_name, classname=self.classname, attrs=attrs)


class ContributionIndexView(PolicyMixin, generic.IndexView):
    template_name = "wagtail_dialog/admin/inbox/index.html"
    results_template_name = "wagtail_dialog/admin/inbox/index_results.html"
    any_permission_required = ["change"]
    page_title = _("Contributions")
    default_ordering = "-submitted_at"
    table_class = InboxTable

    def get_base_queryset(self):
        return inbox_queryset(self.request.user, super().get_base_queryset())

    def get_valid_orderings(self):
        return ORDERINGS

    def order_queryset(self, queryset):
        # One order for the listing and for "… and next" on a contribution's page.
        return queryset.order_by(*ordering_of(self.request.GET))

    @cached_property
    def listing_suffix(self):
        """``?listing=…`` for links to a contribution's page: its "… and next"
        buttons follow this listing's filters, search and order."""
        query = listing_query(self.request.GET)
        return f"?{urlencode({LISTING_PARAM: query})}" if query else ""

    def get_search_form(self):
        if self.search_kwarg in self.request.GET:
            return InboxSearchForm(self.request.GET)
        return InboxSearchForm()

    @cached_property
    def search_error(self):
        """Why the search was not run (too long), to show above the listing."""
        form = self.search_form
        if form is not None and form.is_bound and not form.is_valid():
            return " ".join(str(error) for error in form.errors.get(self.search_kwarg, []))
        return ""

    def get_context_data(self, **kwargs):
        # Themes in sight above the list, not in the "…" menu: compiling the
        # result is what the inbox is for once a dialog closes. (Not in the header:
        # a third header button squeezes the page's title at 1024 px.)
        return {**super().get_context_data(**kwargs), "search_error": self.search_error, "themes_url": self.themes_url}

    @cached_property
    def narrow_to_search(self):
        return searcher(self.search_query, self.request.user)

    def search_queryset(self, queryset):
        return self.narrow_to_search(queryset)

    @cached_property
    def filters(self):
        filters = super().filters
        # Counts beside the filter values only while searching: over the
        # matches they are cheap, over every contribution they would not be.
        if filters is not None and self.search_query:
            filters.add_counts(self.narrow_to_search)
        return filters

    @cached_property
    def add_item_label(self):
        return gettext("Register contribution")

    @cached_property
    def can_see_personal_data(self):
        return permissions.can_see_personal_data(self.request.user)

    @cached_property
    def columns(self):
        # One reverse() for the page, not one per row.
        edit_url = reverse(self.edit_url_name, args=[0]).replace("/0/", "/{}/")
        status_labels = dict(ContributionStatus.choices)
        # Four columns: the contribution's own cell gets the room (see ContributionColumn).
        columns = [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="contribution"),
            ContributionColumn(
                "contribution",
                label=_("Contribution"),
                channels=Channel.choices,
                personal_data=self.can_see_personal_data,
                get_url=lambda contribution: edit_url.format(quote(contribution.pk)) + self.listing_suffix,
                get_title_id=lambda contribution: f"contribution_{quote(contribution.pk)}_title",
                classname="wd-inbox-contribution",
            ),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=lambda contribution: status_labels.get(contribution.status, contribution.status),
                sort_key="status",
                primary=lambda contribution: contribution.status == ContributionStatus.PENDING,
            ),
            DateColumn("submitted_at", label=_("Submitted"), sort_key="submitted_at"),
        ]
        return columns

    def get(self, request, *args, **kwargs):
        if self.is_export:
            # Straight to the file: the listing's context would load every row.
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.user_has_permission("export"):
            raise PermissionDenied
        columns = exports.columns(self.model, personal_data=self.can_see_personal_data)
        filename = self.get_filename()
        if spreadsheet_format == self.FORMAT_XLSX:
            return exports.xlsx_response(queryset, columns, filename)
        return exports.csv_response(queryset, columns, filename)

    @cached_property
    def filtered_dialog(self):
        """The dialog the listing is filtered to, or None."""
        return self.filters.form.cleaned_data.get("dialog") if self.filters and self.filters.is_valid() else None

    def get_filename(self):
        dialog = self.filtered_dialog
        name = slugify(dialog.title) if dialog else "contributions"
        return name or "contributions"

    @cached_property
    def themes_url(self):
        """The themes of the filtered dialog, or the list of dialogs' themes."""
        dialog = self.filtered_dialog
        return reverse("wagtail_dialog_themes", args=[dialog.pk]) if dialog else reverse("wagtail_dialog_themes_index")

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("export"):
            buttons += [
                Button(_("Export CSV"), url=self.get_export_url("csv"), icon_name="download", priority=90),
                Button(_("Export XLSX"), url=self.get_export_url("xlsx"), icon_name="download", priority=100),
            ]
        dialog = self.filtered_dialog
        if dialog is not None and archive.may_take(self.request.user, dialog):
            # Every contribution of the filtered dialog, whatever the listing's other filters.
            buttons.append(Button(_("Archive export"), url=archive.url_for(dialog), icon_name="download", priority=110))
        return buttons

    @cached_property
    def show_export_buttons(self):
        # Wagtail's own "Download" buttons are replaced by the two above.
        return False


class ContributionViewSet(ModelViewSet):
    """The inbox. Register it with ``register_admin_viewset``; wagtail_hooks does."""

    model = get_contribution_model()
    name = "wagtail_dialog_contributions"
    url_prefix = "contributions"
    icon = "comment"
    menu_label = _("Contributions")
    menu_name = "contributions"
    menu_order = 150
    add_to_admin_menu = True
    menu_item_class = ContributionsMenuItem

    index_view_class = ContributionIndexView
    add_view_class = ContributionCreateView
    edit_view_class = ContributionDetailView
    history_view_class = ContributionHistoryView

    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False

    # The same page size as Wagtail's own form-submissions listing.
    list_per_page = 20
    ordering = "-submitted_at"
    filterset_class = ContributionFilterSet
    search_fields = SEARCH_FIELDS
    search_backend_name = None

    #: The views the inbox has; Wagtail's delete, usage and copy views are left
    #: out on purpose (contributions leave through moderation and retention).
    view_names = {"index", "index_results", "add", "edit", "history", "history_results"}

    @cached_property
    def permission_policy(self):
        return policy_for(self.model)

    def get_form_class(self, for_update=False):
        return RegisterContributionForm

    def get_edit_view_kwargs(self, **kwargs):
        return kwargs

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.view_names]

    def get_permissions_to_register(self):
        # Offer only the two permissions that mean something here in the
        # group editor; add/change/delete are decided by page permissions.
        return (
            super().get_permissions_to_register().filter(codename__in=["moderate_contribution", "view_personal_data"])
        )


def contribution_url(contribution):
    """The URL of ``contribution``'s page in the inbox."""
    return reverse(f"{ContributionViewSet.name}:edit", args=[quote(contribution.pk)])


def inbox_url():
    return reverse(f"{ContributionViewSet.name}:index")
