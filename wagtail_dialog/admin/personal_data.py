"""A person's request about their own data (Settings → Personal data requests):
find every contribution sent with an email address, export it for the person,
or erase it; and the audit records of what was done.

The address travels only in POST bodies, never in a URL: URLs end up in server
logs, browser history and Referer headers. Only users with "Can find, export
and erase a person's data" see any of it (superusers have it), for every dialog.
"""

import re

from django import forms
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from wagtail_dialog.contributions import exports, permissions
from wagtail_dialog.privacy import requests as personal_data
from wagtail_dialog.privacy.requests import ErasureMode, PersonalDataRequest

INDEX = "wagtail_dialog_personal_data"
EXPORT = "wagtail_dialog_personal_data_export"
ERASE = "wagtail_dialog_personal_data_erase"
RECORDS = "wagtail_dialog_personal_data_records"
RECORDS_RESULTS = "wagtail_dialog_personal_data_records_results"

#: Something that looks like an email address, anywhere in a text.
ADDRESS_LIKE = re.compile(r"\S+@\S+\.\S+")

def may_handle(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(personal_data.HANDLE))


class RequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address the person sent their contributions with.")
    )
    note = forms.CharField(
        label=_("Case number or note"), required=False, max_length=255,
        help_text=_("Kept with the record of the request, e.g. its registration number (diarienummer)."),
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if ADDRESS_LIKE.search(note):
            # The audit record must not become a list of addresses.
            raise forms.ValidationError(_("Do not write an email address here: the note is kept with the record."))
        return note


class HiddenRequestForm(RequestForm):
    """The validated address and note, carried on to the next step."""

    email = forms.EmailField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)


class EraseForm(HiddenRequestForm):
    mode = forms.ChoiceField(
        label=_("How to erase"), choices=ErasureMode.choices, widget=forms.RadioSelect,
        initial=ErasureMode.ANONYMISE,
        help_text=_("Anonymising keeps what the person said, without who said it. Deleting removes it altogether."),
    )
    decision = forms.CharField(
        label=_("Decision relied on"), required=False, max_length=255,
        help_text=_("The decision that allows removing the data from the public record (gallring), e.g. in the "
                    "document management plan. Needed to delete."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == ErasureMode.DELETE and not cleaned.get("decision", "").strip():
            self.add_error("decision", _("Name the decision that allows deleting public records, or anonymise instead."))
        return cleaned


class PersonalDataMixin(WagtailAdminTemplateMixin):
    header_icon = "lock"
    page_title = _("Personal data requests")

    def dispatch(self, request, *args, **kwargs):
        if not may_handle(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse(INDEX), "label": gettext("Personal data requests")}]


def contribution_rows(user, contributions):
    """What the results table shows of each contribution, with a link to it where the user moderates."""
    rows = []
    for contribution in contributions:
        url = ""
        if permissions.can_moderate(user, contribution.dialog):
            url = reverse("wagtail_dialog_contributions:edit", args=[contribution.pk])
        rows.append({"contribution": contribution, "url": url})
    return rows


class SearchView(PersonalDataMixin, TemplateView):
    """The search form; a valid POST shows what the address is tied to, and the actions."""

    template_name = "wagtail_dialog/admin/personal_data/index.html"

    def get_header_buttons(self):
        return [HeaderButton(gettext("Past requests"), url=reverse(RECORDS), icon_name="list-ul")]

    def post(self, request, *args, **kwargs):
        form = RequestForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        email, note = form.cleaned_data["email"], form.cleaned_data["note"]
        contributions = list(personal_data.find(email))
        return self.render_to_response(self.get_context_data(
            form=form, searched=True, email=email,
            # Carried by both action forms: without ids, which would repeat on the page.
            carried=HiddenRequestForm(initial={"email": email, "note": note}, auto_id=False),
            contributions=contribution_rows(request.user, contributions),
            dialogs=personal_data.affected_dialogs(contributions),
            method_answers=personal_data.method_answers(email),
            records=personal_data.requests_for(email),
        ))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", RequestForm())
        return super().get_context_data(**kwargs)


def export_columns(model):
    """Every field of the contribution but the staff who handled it: the person's own data."""
    return exports.every_column(model)


class ExportView(PersonalDataMixin, View):
    """POST: the address's contributions as CSV or XLSX, every field; recorded as an access request."""

    def get(self, request, *args, **kwargs):
        return redirect(INDEX)

    def post(self, request, *args, **kwargs):
        form = HiddenRequestForm(request.POST)
        export_format = request.POST.get("format")
        if not form.is_valid() or export_format not in ("csv", "xlsx"):
            messages.error(request, gettext("The export could not be made: search for the address again."))
            return redirect(INDEX)
        email = form.cleaned_data["email"]
        contributions = personal_data.find(email).order_by("submitted_at", "pk")
        personal_data.record_access(email, request.user, form.cleaned_data["note"], contributions)
        columns = export_columns(contributions.model)
        # No address in the file name: it ends up in download folders and mail attachments.
        filename = f"personal-data-{timezone.localdate():%Y-%m-%d}"
        if export_format == "xlsx":
            return exports.xlsx_response(contributions, columns, filename, title=gettext("Contributions"))
        return exports.csv_response(contributions, columns, filename)


class EraseView(PersonalDataMixin, TemplateView):
    """POST from the results: the confirmation, with the choice of how; POST with it: the erasure."""

    template_name = "wagtail_dialog/admin/personal_data/confirm_erase.html"

    def get_page_subtitle(self):
        return gettext("Erase")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": gettext("Erase")}]

    def get(self, request, *args, **kwargs):
        return redirect(INDEX)  # nothing is erased without the confirmation's POST

    def post(self, request, *args, **kwargs):
        if "confirm" not in request.POST:
            form = HiddenRequestForm(request.POST)
            if not form.is_valid():
                return self.start_again()
            return self.confirmation(EraseForm(initial=form.cleaned_data), form.cleaned_data["email"])
        form = EraseForm(request.POST)
        if not form.is_valid():
            if {"email", "note"} & set(form.errors):
                return self.start_again()
            return self.confirmation(form, form.cleaned_data["email"])
        data = form.cleaned_data
        record = personal_data.erase(data["email"], request.user, data["mode"], data["note"], data["decision"])
        messages.success(request, self.success_message(record))
        return redirect(INDEX)

    def start_again(self):
        messages.error(self.request, gettext("Nothing was erased: search for the address again."))
        return redirect(INDEX)

    def confirmation(self, form, email):
        contributions = list(personal_data.find(email))
        return self.render_to_response(self.get_context_data(
            form=form, email=email, contributions=contributions,
            dialogs=personal_data.affected_dialogs(contributions),
            method_answers=personal_data.method_answers(email),
        ))

    @staticmethod
    def success_message(record):
        values = {"count": record.contributions, "dialogs": len(record.dialogs)}
        if record.mode == ErasureMode.DELETE:
            message = ngettext(
                "%(count)d contribution deleted", "%(count)d contributions deleted", record.contributions
            ) % values
        else:
            message = ngettext(
                "%(count)d contribution anonymised", "%(count)d contributions anonymised", record.contributions
            ) % values
        dialogs = ngettext("in %(dialogs)d dialog", "in %(dialogs)d dialogs", values["dialogs"]) % values
        done = gettext("%(done)s %(where)s. The request is recorded.") % {"done": message, "where": dialogs}
        if record.method_answers:
            done += " " + ngettext(
                "%(count)d survey answer held the address: its written answers are gone.",
                "%(count)d survey answers held the address: their written answers are gone.",
                record.method_answers,
            ) % {"count": record.method_answers} if record.mode != ErasureMode.DELETE else " " + ngettext(
                "%(count)d survey answer that held the address is deleted.",
                "%(count)d survey answers that held the address are deleted.",
                record.method_answers,
            ) % {"count": record.method_answers}
        return done


class DialogsColumn(Column):
    def get_value(self, instance):
        return ", ".join(dialog.get("title", "") for dialog in instance.dialogs)


class RecordsView(PersonalDataMixin, BaseListingView):
    """Every request handled, newest first: what was done, not whose address it was."""

    model = PersonalDataRequest
    page_title = _("Past personal data requests")
    index_url_name = RECORDS
    index_results_url_name = RECORDS_RESULTS
    default_ordering = "-handled_at"
    paginate_by = 50
    columns = [
        DateColumn("handled_at", label=_("Handled at"), sort_key="handled_at"),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("mode", label=_("Erasure mode"), accessor="get_mode_display"),
        Column("contributions", label=_("Contributions")),
        DialogsColumn("dialogs", label=_("Dialogs affected")),
        Column("note", label=_("Case number or note")),
        Column("decision", label=_("Decision relied on")),
        UserColumn("handled_by", label=_("Handled by")),
    ]

    def get_base_queryset(self):
        return PersonalDataRequest.objects.select_related("handled_by")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": gettext("Past requests")}]


urlpatterns = [
    path("personal-data/", SearchView.as_view(), name=INDEX),
    path("personal-data/export/", ExportView.as_view(), name=EXPORT),
    path("personal-data/erase/", EraseView.as_view(), name=ERASE),
    path("personal-data/records/", RecordsView.as_view(), name=RECORDS),
    path("personal-data/records/results/", RecordsView.as_view(results_only=True), name=RECORDS_RESULTS),
]


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return may_handle(request.user)


def menu_item():
    return PersonalDataMenuItem(
        _("Personal data requests"), reverse(INDEX), name="personal-data-requests", icon_name="lock", order=650
    )


def permissions_to_register():
    """For Settings → Groups: the permission to handle a person's request."""
    return Permission.objects.filter(content_type__app_label="wagtail_dialog", codename="handle_personal_data_requests")
