"""Who may see and do what with contributions: one predicate per rule.

- A user moderates a dialog when they may publish that dialog page (Wagtail's
  page permissions, so a committee's editors moderate their own dialogs), or
  hold the "Can moderate contributions" permission (e.g. through the
  "Dialog moderators" group), which covers every dialog.
- Names and emails are personal data: only moderators who also hold "Can see
  contributors' names and emails" see them, in the admin and in exports.
- Editors with neither see no inbox and no personal data.
- Anonymous visitors and residents only ever see published contributions.
"""

from wagtail.permission_policies.pages import PagePermissionPolicy

from wagtail_dialog.contributions import ContributionStatus, get_dialog_model

MODERATE_ALL = "wagtail_dialog.moderate_contribution"
VIEW_PERSONAL_DATA = "wagtail_dialog.view_personal_data"
MODERATORS_GROUP = "Dialog moderators"


def _is_staff_user(user):
    return bool(user and user.is_authenticated and user.is_active)


def can_moderate_all(user):
    return _is_staff_user(user) and user.has_perm(MODERATE_ALL)


def moderated_dialog_ids(user):
    """Ids of the dialog pages ``user`` moderates; None means every dialog.

    Kept on the user object for the rest of the request, as Django keeps its
    permission cache there: the menu, the dashboard panel and the listing all ask.
    """
    if not _is_staff_user(user):
        return set()
    if not hasattr(user, "_wagtail_dialog_moderated_ids"):
        user._wagtail_dialog_moderated_ids = _moderated_dialog_ids(user)
    return user._wagtail_dialog_moderated_ids


def _moderated_dialog_ids(user):
    DialogPage = get_dialog_model()

    if can_moderate_all(user):
        return None
    publishable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["publish"])
    return set(DialogPage.objects.filter(pk__in=publishable.values("pk")).values_list("pk", flat=True))


def can_moderate(user, dialog):
    ids = moderated_dialog_ids(user)
    return ids is None or dialog.pk in ids


def can_use_inbox(user):
    ids = moderated_dialog_ids(user)
    return ids is None or bool(ids)


def can_see_personal_data(user, dialog=None):
    if not _is_staff_user(user) or not user.has_perm(VIEW_PERSONAL_DATA):
        return False
    return can_moderate(user, dialog) if dialog is not None else can_use_inbox(user)


def moderated_contributions(user, queryset):
    """``queryset`` narrowed to the contributions ``user`` may moderate."""
    ids = moderated_dialog_ids(user)
    return queryset if ids is None else queryset.filter(dialog_id__in=ids)


def public_contributions(queryset):
    """What anyone may see: published contributions only."""
    return queryset.filter(status=ContributionStatus.PUBLISHED)


def editable_dialogs(user):
    """The dialog pages ``user`` may edit or publish: what the reports are about."""
    DialogPage = get_dialog_model()

    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change", "publish"])
    return DialogPage.objects.filter(pk__in=pages.values("pk"))


def edits_dialogs(user):
    """Whether ``user`` edits or publishes any dialog page, and so sees the reports.

    Kept on the user object for the rest of the request: the Reports menu asks
    on every admin page.
    """
    if not hasattr(user, "_wagtail_dialog_edits_dialogs"):
        user._wagtail_dialog_edits_dialogs = bool(user.is_active and editable_dialogs(user).exists())
    return user._wagtail_dialog_edits_dialogs
