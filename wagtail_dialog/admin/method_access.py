"""Who manages a way to take part in the admin (its answers, sign-ups, ballots and codes): those
who moderate its dialog (who may publish the dialog, and the "Dialog moderators" group). Shared by
the surveys', meetings' and votes' screens."""

from django.db.models import Q
from wagtail.admin.menu import MenuItem

from wagtail_dialog.contributions.permissions import can_moderate, moderated_dialog_ids
from wagtail_dialog.dialogs.pages import DialogPage


def managed(model, user):
    """The pages of ``model`` (a kind of way to take part) below the dialogs ``user`` moderates."""
    ids = moderated_dialog_ids(user)
    pages = model.objects.all()
    if ids is None:
        return pages
    below = Q(pk__in=[])
    for dialog in DialogPage.objects.filter(pk__in=ids).only("path", "depth"):
        below |= Q(path__startswith=dialog.path, depth=dialog.depth + 1)
    return pages.filter(below)


def can_manage(user, way):
    dialog = way.dialog
    return dialog is not None and can_moderate(user, dialog)


class MethodsMenuItem(MenuItem):
    """A Reports menu item shown to those who moderate any dialog."""

    def is_shown(self, request):
        ids = moderated_dialog_ids(request.user)
        return ids is None or bool(ids)
