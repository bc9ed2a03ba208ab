"""The history of contributions: Wagtail's log entries (who moderated, replied,
tagged, when), kept in a log entry model of their own so that each moderator
sees only the entries of the dialogs they moderate.

Wagtail keeps the entries of any other model in ``ModelLogEntry`` and shows
them in *Reports → Site history* to everyone who holds any permission on that
model. Every moderator holds permissions on contributions, so a moderator of
dialog A would see the reference numbers, moderation steps, moderators and
times of dialog B's contributions. Wagtail lets a model have its own log entry
model (``register_model`` in the ``register_log_actions`` hook, as it does for
pages with ``PageLogEntry``), whose manager decides who may view what: here,
the moderators of the entry's dialog (``permissions.moderated_dialog_ids``),
and superusers everything.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from wagtail_dialog.contributions import permissions


class ContributionLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        # The dialog is stored with the entry: the entry outlives a deleted or
        # erased contribution, and its dialog still decides who may see it.
        kwargs.update(object_id=str(instance.pk), dialog_id=instance.dialog_id)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=str(instance.pk))

    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        ids = permissions.moderated_dialog_ids(user)
        return self.all() if ids is None else self.filter(dialog_id__in=ids)


class ContributionLogEntry(BaseLogEntry):
    """One step in a contribution's history."""

    object_id = models.CharField(max_length=255, db_index=True)  # as ModelLogEntry: with_instances() reads it
    dialog = models.ForeignKey(
        "wagtail_dialog.DialogPage",
        null=True,
        blank=True,
        # The history stays when its dialog page is deleted (as Wagtail keeps
        # a deleted page's): then only those who moderate every dialog see it.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = ContributionLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("contribution log entry")
        verbose_name_plural = _("contribution log entries")
        # BaseLogEntry's index, and one for a moderator's site history (their
        # dialogs, newest first).
        indexes = [
            models.Index(fields=["uuid", "action", "-timestamp"], name="wd_contriblog_uuid_action"),
            models.Index(fields=["dialog", "-timestamp"], name="wd_contriblog_dialog_time"),
        ]

    def __str__(self):
        return f"ContributionLogEntry {self.pk}: '{self.action}' on contribution {self.object_id}"
