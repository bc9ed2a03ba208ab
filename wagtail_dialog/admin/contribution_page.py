"""A contribution's own pages in the inbox: where it is moderated (approve,
reject, spam, hide, reply, internal note, tags), each step one call into
``contributions.moderation``; "Register contribution" for what came by letter,
meeting, email or phone; and the history Wagtail keeps of every step.
Assembled into the inbox's viewset in ``admin.inbox``."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from wagtail_dialog.admin.inbox_forms import (
    AssessForm,
    ModerationForm,
    NoteForm,
    RegisterContributionForm,
    RejectForm,
    ReplyForm,
    TagsForm,
)
from wagtail_dialog.admin.inbox_listing import LISTING_PARAM, carried_listing, next_pending
from wagtail_dialog.admin.policy import PolicyMixin
from wagtail_dialog.contributions import ContributionStatus, ideas, moderation, permissions
from wagtail_dialog.dialogs.language import content_language, lang_attribute


@dataclass(frozen=True)
class ModerationStep:
    form_class: type
    run: Callable[[Any, Any, dict], None]
    success_message: Any


#: The forms on a contribution's page, by the name of their submit button.
MODERATION_STEPS = {
    "approve": ModerationStep(
        ModerationForm,
        lambda contribution, user, data: moderation.approve(contribution, user),
        _("Contribution %(reference)s is published."),
    ),
    "reject": ModerationStep(
        RejectForm,
        lambda contribution, user, data: moderation.reject(contribution, user, data["reason"], data["message"]),
        _("Contribution %(reference)s is rejected."),
    ),
    "spam": ModerationStep(
        ModerationForm,
        lambda contribution, user, data: moderation.mark_spam(contribution, user),
        _("Contribution %(reference)s is marked as spam."),
    ),
    "hide": ModerationStep(
        ModerationForm,
        lambda contribution, user, data: moderation.hide(contribution, user),
        _("Contribution %(reference)s is hidden until it is moderated again."),
    ),
    "reply": ModerationStep(
        ReplyForm,
        lambda contribution, user, data: moderation.reply(contribution, user, data["text"], data["signature"]),
        _("The reply to %(reference)s is saved."),
    ),
    "note": ModerationStep(
        NoteForm,
        lambda contribution, user, data: moderation.set_note(contribution, user, data["note"]),
        _("The internal note on %(reference)s is saved."),
    ),
    "assess": ModerationStep(
        AssessForm,
        lambda contribution, user, data: ideas.assess(
            contribution, user, data["feasibility"], data["reason"], data["cost"]),
        _("The assessment of idea %(reference)s is saved."),
    ),
    "tags": ModerationStep(
        TagsForm,
        lambda contribution, user, data: moderation.set_tags(contribution, user, data["tags"]),
        _("The tags on %(reference)s are saved."),
    ),
}


#: The steps whose form also has an "… and next" button, which goes on to
#: the next pending contribution in the listing the moderator came from.
NEXT_STEPS = {"approve", "reject", "spam", "reply"}


class ModeratedObjectMixin(PolicyMixin):
    """Looks the contribution up among those the user moderates: another dialog's is a 404."""

    model = None
    pk_url_kwarg = "pk"

    def get_object_queryset(self):
        return permissions.moderated_contributions(
            self.request.user,
            self.model._default_manager.select_related("dialog", "dialog__locale", "moderated_by", "replied_by", "registered_by"),
        )

    def get_object(self):
        return get_object_or_404(self.get_object_queryset(), pk=unquote(str(self.kwargs[self.pk_url_kwarg])))


class ContributionDetailView(ModeratedObjectMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A contribution in full, its history so far, and the moderation forms."""

    template_name = "wagtail_dialog/admin/inbox/detail.html"
    permission_required = "change"
    index_url_name = None
    edit_url_name = None
    history_url_name = None
    header_icon = "comment"
    recent_history_length = 5

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        self.object = self.get_object()
        if not self.user_has_permission_for_instance(self.permission_required, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Contribution")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.listing_url, "label": capfirst(self.model._meta.verbose_name_plural)},
            {"url": "", "label": str(self.object)},
        ]

    @cached_property
    def listing_url(self):
        """The inbox listing the moderator came from, with its filters, search and order."""
        query = carried_listing(self.request).urlencode()
        return reverse(self.index_url_name) + (f"?{query}" if query else "")

    @cached_property
    def history_url(self):
        return reverse(self.history_url_name, args=[quote(self.object.pk)])

    @cached_property
    def header_buttons(self):
        return [HeaderButton(_("History"), url=self.history_url, icon_name="history")]

    @cached_property
    def can_see_personal_data(self):
        return permissions.can_see_personal_data(self.request.user, self.object.dialog)

    def get_forms(self, bound=None):
        forms = {name: self.make_form(name) for name in MODERATION_STEPS}
        if bound:
            forms.update(bound)
        return forms

    #: Fields whose text goes to residents, in the dialog's language.
    CONTENT_FIELDS = {"reply": ["text", "signature"], "reject": ["message"], "assess": ["reason"]}

    def make_form(self, name, data=None):
        # Each form's ids get its own prefix: several forms share the page.
        form = MODERATION_STEPS[name].form_class(data, contribution=self.object, auto_id=f"id_{name}-%s")
        lang = content_language(self.object.dialog)
        if lang_attribute(lang):
            for field in self.CONTENT_FIELDS.get(name, ()):
                form.fields[field].widget.attrs["lang"] = lang
        return form

    def get_context_data(self, **kwargs):
        forms = kwargs.pop("forms", None) or self.get_forms()
        context = super().get_context_data(**kwargs)
        contribution = self.object
        context.update(
            {
                "object": contribution,
                "contribution": contribution,
                "dialog": contribution.dialog,
                "forms": forms,
                "steps": self.available_steps(contribution),
                "show_personal_data": self.can_see_personal_data,
                "history": log_registry.get_logs_for_instance(contribution).select_related("user")[
                    : self.recent_history_length
                ],
                "history_url": self.history_url,
                "action_url": self.request.get_full_path(),
                "dialog_edit_url": (
                    reverse("wagtailadmin_pages:edit", args=[contribution.dialog_id])
                    if contribution.dialog.permissions_for_user(self.request.user).can_edit()
                    else None
                ),
                "media": sum((form.media for form in forms.values()), Media()),
            }
        )
        return context

    def available_steps(self, contribution):
        """The status changes that make sense from the current status."""
        status = contribution.status
        return {
            "approve": status != ContributionStatus.PUBLISHED,
            "reject": status != ContributionStatus.REJECTED,
            "spam": status != ContributionStatus.SPAM,
            "hide": status == ContributionStatus.PUBLISHED,
            "assess": contribution.dialog.collects_ideas and status != ContributionStatus.SPAM,
        }

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action")
        step = MODERATION_STEPS.get(name)
        # Only a dialog that collects ideas has them assessed.
        if step is None or (name == "assess" and not self.available_steps(self.object)["assess"]):
            messages.error(request, gettext("Unknown action."))
            return redirect(self.get_success_url())
        form = self.make_form(name, request.POST)
        if not form.is_valid():
            messages.error(request, gettext("The contribution could not be saved due to errors."))
            return self.render_to_response(self.get_context_data(forms=self.get_forms(bound={name: form})))
        try:
            step.run(self.object, request.user, form.cleaned_data)
        except moderation.ModerationError as error:
            messages.error(request, str(error))
            return redirect(self.get_success_url())
        messages.success(request, step.success_message % {"reference": self.object.reference})
        if name in NEXT_STEPS and request.POST.get("then") == "next":
            return redirect(self.next_url())
        return redirect(self.get_success_url())

    def next_url(self):
        """The next pending contribution in the listing the moderator came from,
        or that listing itself, with a message, when none is left."""
        pk = next_pending(self.request, self.object)
        if pk is None:
            messages.info(self.request, gettext("No more contributions are waiting in this listing."))
            return self.listing_url
        carried = self.request.GET.get(LISTING_PARAM, "")
        suffix = f"?{urlencode({LISTING_PARAM: carried})}" if carried else ""
        return reverse(self.edit_url_name, args=[quote(pk)]) + suffix

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse(
            self.edit_url_name, args=[quote(self.object.pk)]
        )


def register_contribution(form, user):
    """Save a valid ``RegisterContributionForm`` as registered by ``user``, in its history too."""
    contribution = form.save(commit=False)
    contribution.registered_by = user
    contribution.save()
    form.save_m2m()
    log(contribution, "wagtail_dialog.register", user=user)
    return contribution


class ContributionCreateView(PolicyMixin, generic.CreateView):
    """Register a contribution that came by letter, at a meeting, by email or by phone."""

    template_name = "wagtail_dialog/admin/inbox/register.html"
    page_title = _("Register contribution")
    submit_button_label = _("Register")
    submit_button_active_label = _("Registering…")
    success_message = _("Contribution %(object)s is registered.")
    form_class = RegisterContributionForm

    def get_page_subtitle(self):
        return ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(self.model._meta.verbose_name_plural)},
            {"url": "", "label": gettext("Register contribution")},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def save_instance(self):
        return register_contribution(self.form, self.request.user)

    def get_success_url(self):
        return reverse(self.edit_url_name, args=[quote(self.object.pk)])

    def get_success_buttons(self):
        return []


class ContributionHistoryView(PolicyMixin, HistoryView):
    any_permission_required = ["change"]

    def setup(self, request, *args, **kwargs):
        # Wagtail looks the object up in setup(), before the permission check
        # in dispatch(): check first, so that someone without an inbox is told
        # so rather than shown a 404.
        self.request = request
        if not self.user_has_any_permission(self.any_permission_required):
            raise PermissionDenied
        super().setup(request, *args, **kwargs)

    def get_base_object_queryset(self):
        return permissions.moderated_contributions(self.request.user, super().get_base_object_queryset())

    @cached_property
    def header_buttons(self):
        return [HeaderButton(label=gettext("Moderate"), url=self.get_edit_url(self.object), icon_name="comment")]
