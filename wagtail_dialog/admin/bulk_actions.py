"""Bulk moderation from the inbox listing, on Wagtail's bulk action framework.

The listing's checkboxes lead to a confirmation page (with a reason to reject,
or tags to add); confirming calls ``moderation.bulk``. Only contributions the
user moderates are ever looked up: ids of another dialog's contributions are
simply not found. "Select all in listing" takes the listing's own filters and
search, never more.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.bulk_action import BulkAction

from wagtail_dialog.admin.inbox_forms import BulkRejectForm, BulkTagForm
from wagtail_dialog.admin.inbox_listing import inbox_queryset, listing_queryset
from wagtail_dialog.contributions import get_contribution_model, moderation, permissions
from wagtail_dialog.contributions.ids import is_id


class ContributionBulkAction(BulkAction):
    template_name = "wagtail_dialog/admin/inbox/bulk_confirm.html"
    #: The action's name for ``moderation.bulk``.
    moderation_action = None
    #: Shown on the confirmation page.
    question = None
    #: The confirmation button.
    confirm_label = None
    classes = set()

    @classproperty
    def models(cls):
        return [get_contribution_model()]

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_use_inbox(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            queryset = listing_queryset(self.request)
        else:
            ids = [value for value in ids if is_id(value)]
            queryset = inbox_queryset(self.request.user).filter(pk__in=ids)
        objects = list(queryset.select_related("dialog", "dialog__locale"))
        if not objects:
            raise Http404
        return objects, {"items_with_no_access": []}

    def object_context(self, obj):
        from wagtail_dialog.admin.inbox import contribution_url

        return {"item": obj, "edit_url": contribution_url(obj)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "action": self,
                "header_icon": "comment",
                "question": self.question,
                "confirm_label": self.confirm_label,
            }
        )
        return context

    def get_execution_context(self):
        return {"user": self.request.user, "options": self.get_options()}

    def get_options(self):
        return {}

    @classmethod
    def execute_action(cls, objects, user=None, options=None, **kwargs):
        changed = moderation.bulk(objects, user, cls.moderation_action, **(options or {}))
        return changed, 0

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except moderation.ModerationError as error:
            # Raised inside the bulk action's transaction: nothing was changed.
            messages.error(self.request, str(error))
            return redirect(self.next_url)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.success_message(num_parent_objects) % {"count": num_parent_objects}

    def success_message(self, count):
        raise NotImplementedError


class ApproveBulkAction(ContributionBulkAction):
    display_name = _("Publish")
    action_type = "approve"
    aria_label = _("Publish the selected contributions")
    action_priority = 10
    moderation_action = "approve"
    question = _("Publish these contributions?")
    confirm_label = _("Yes, publish")

    def success_message(self, count):
        return ngettext("%(count)d contribution is published.", "%(count)d contributions are published.", count)


class RejectBulkAction(ContributionBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected contributions")
    action_priority = 20
    moderation_action = "reject"
    form_class = BulkRejectForm
    question = _("Reject these contributions? Authors who asked to be told get the reason and your message.")
    confirm_label = _("Yes, reject")

    def get_options(self):
        data = self.cleaned_form.cleaned_data
        return {"reason": data["reason"], "message": data["message"]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = len(context["items"])
        # Said before confirming: one reason for all, never a surprise afterwards.
        context["note"] = ngettext(
            "The reason and the message you choose here go to the selected contribution.",
            "The reason and the message you choose here go to all %(count)d selected contributions. "
            "To give one of them a reason of its own, reject it on its own page instead.",
            count,
        ) % {"count": count}
        return context

    def success_message(self, count):
        return ngettext("%(count)d contribution is rejected.", "%(count)d contributions are rejected.", count)


class SpamBulkAction(ContributionBulkAction):
    # Short in the bulk bar, whose buttons do not wrap ("Markera som skr…"), and
    # the accessible name starts with the visible label (WCAG 2.5.3).
    display_name = pgettext_lazy("bulk action", "Mark as spam")
    action_type = "spam"
    aria_label = pgettext_lazy("bulk action", "Mark as spam: the selected contributions")
    action_priority = 30
    moderation_action = "spam"
    question = _("Mark these contributions as spam? Their authors are not told.")
    confirm_label = _("Yes, mark as spam")
    classes = {"serious"}

    def success_message(self, count):
        return ngettext(
            "%(count)d contribution is marked as spam.", "%(count)d contributions are marked as spam.", count
        )


class HideBulkAction(ContributionBulkAction):
    display_name = _("Hide")
    action_type = "hide"
    aria_label = _("Hide the selected contributions until they are moderated again")
    action_priority = 40
    moderation_action = "hide"
    question = _("Hide these contributions until they are moderated again?")
    confirm_label = _("Yes, hide")

    def success_message(self, count):
        return ngettext("%(count)d contribution is hidden.", "%(count)d contributions are hidden.", count)


class TagBulkAction(ContributionBulkAction):
    display_name = _("Add tags")
    action_type = "tag"
    aria_label = _("Add tags to the selected contributions")
    action_priority = 50
    moderation_action = "tag"
    form_class = BulkTagForm
    question = _("Add these tags to the selected contributions:")
    confirm_label = _("Add tags")

    def get_options(self):
        return {"names": self.cleaned_form.cleaned_data["tags"]}

    def success_message(self, count):
        return ngettext("%(count)d contribution is tagged.", "%(count)d contributions are tagged.", count)


BULK_ACTIONS = [ApproveBulkAction, RejectBulkAction, SpamBulkAction, HideBulkAction, TagBulkAction]
