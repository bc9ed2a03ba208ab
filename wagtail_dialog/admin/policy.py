"""The permission policy behind the moderators' inbox.

Wagtail's generic views ask a permission policy whether a user may "add",
"change", "view" or "delete" instances of a model. Django's model permissions
(what Wagtail's default ``ModelPermissionPolicy`` checks) are the wrong question
here: a committee's editors moderate the dialogs they may publish without any
model permission at all. So every answer comes from the predicates in
``wagtail_dialog.contributions.permissions``:

- "add", "change", "view" and "export": the user moderates at least one dialog
  (for one instance: that instance's dialog);
- "view_personal_data": the user may see names and emails;
- "delete": nobody here. Contributions leave through moderation (reject, spam)
  and through the retention and erasure rules, never from the inbox.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import cached_property
from wagtail.permission_policies.base import BasePermissionPolicy

from wagtail_dialog.contributions import permissions

MODERATION_ACTIONS = frozenset({"add", "change", "view", "export", "moderate"})


class ContributionPermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        if action in MODERATION_ACTIONS:
            return permissions.can_use_inbox(user)
        if action == "view_personal_data":
            return permissions.can_see_personal_data(user)
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action in MODERATION_ACTIONS:
            return permissions.can_moderate(user, instance.dialog)
        if action == "view_personal_data":
            return permissions.can_see_personal_data(user, instance.dialog)
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = self.model._default_manager.all()
        if MODERATION_ACTIONS.intersection(actions):
            return permissions.moderated_contributions(user, queryset)
        if "view_personal_data" in actions and permissions.can_see_personal_data(user):
            return permissions.moderated_contributions(user, queryset)
        return queryset.none()

    def users_with_any_permission(self, actions):
        users = get_user_model()._default_manager.filter(is_active=True)
        if not MODERATION_ACTIONS.intersection(actions):
            return users.none()
        return users.filter(Q(pk__in=self._dialog_publisher_ids()) | Q(pk__in=self._moderate_all_ids())).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        users = get_user_model()._default_manager.filter(is_active=True)
        if not MODERATION_ACTIONS.intersection(actions):
            return users.none()
        publishers = PagePermissionPolicy().users_with_any_permission_for_instance(["publish"], instance.dialog)
        return users.filter(Q(pk__in=publishers.values("pk")) | Q(pk__in=self._moderate_all_ids())).distinct()

    def _moderate_all_ids(self):
        return get_user_model()._default_manager.with_perm(permissions.MODERATE_ALL).values("pk")

    def _dialog_publisher_ids(self):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        from wagtail_dialog.dialogs.pages import DialogPage

        ids = set()
        policy = PagePermissionPolicy()
        for dialog in DialogPage.objects.all().only("pk", "path", "depth"):
            ids.update(policy.users_with_any_permission_for_instance(["publish"], dialog).values_list("pk", flat=True))
        return ids


@cache
def policy_for(model):
    """One policy instance per contribution model, shared by every view and Wagtail's registry."""
    return ContributionPermissionPolicy(model)


def register_policy(model):
    """Tell Wagtail which policy guards ``model``.

    Wagtail 8 looks policies up in a registry (``wagtail.permissions``); this
    must happen before anything asks for the model's policy, or Wagtail will
    already have made a model-permission fallback. Wagtail 7.4 has no registry:
    the viewset hands its ``permission_policy`` to each view instead.
    """
    try:
        from wagtail.permissions import policy_registry, register_permission_policy
    except ImportError:  # Wagtail 7.4
        return
    if policy_registry.get_by_type(model, fallback=False) is None:
        register_permission_policy(model, policy_for(model), exact_class=True)


class PolicyMixin:
    """Every inbox view answers permission questions with the contribution policy.

    (Wagtail 8 would find it in its registry; Wagtail 7.4 passes the viewset's
    ``permission_policy`` in, which is the same object.)
    """

    @cached_property
    def permission_policy(self):
        return policy_for(self.model)
