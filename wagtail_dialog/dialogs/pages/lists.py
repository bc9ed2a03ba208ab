"""The dialog page's inline lists: what is fixed (scope limits), the target
groups and how they are reached, and the methods used."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from wagtail_dialog.dialogs.levels import method_example_choices, method_label


class DialogScopeLimit(Orderable):
    """Something residents cannot change in this dialog, and why."""

    class Reason(models.TextChoices):
        LAW = "law", _("Law")
        BUDGET = "budget", _("Budget")
        PLAN = "plan", _("Overall plan")
        DECISION = "decision", _("Earlier decision")
        OTHER = "other", _("Other")

    page = ParentalKey("wagtail_dialog.DialogPage", on_delete=models.CASCADE, related_name="scope_limits")
    fixed = models.CharField(_("what is fixed"), max_length=255)
    reason = models.CharField(_("because of"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [FieldPanel("fixed"), FieldPanel("reason"), FieldPanel("explanation")]

    #: What residents read: a sentence, not "(because of: budget)".
    SENTENCES = {
        Reason.LAW: _("The law already settles this: %(fixed)s."),
        Reason.BUDGET: _("The budget is already set: %(fixed)s."),
        Reason.PLAN: _("An overall plan already settles this: %(fixed)s."),
        Reason.DECISION: _("An earlier decision already settles this: %(fixed)s."),
        Reason.OTHER: _("Already settled: %(fixed)s."),
    }

    @property
    def sentence(self):
        # The editor's words may end with a full stop of their own.
        return self.SENTENCES.get(self.reason, self.SENTENCES[self.Reason.OTHER]) % {"fixed": self.fixed.rstrip(". ")}

    class Meta(Orderable.Meta):
        verbose_name = _("scope limit")
        verbose_name_plural = _("scope limits")


class DialogTargetGroup(Orderable):
    """A group the dialog wants to reach, and how it will be reached."""

    page = ParentalKey("wagtail_dialog.DialogPage", on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("group"), max_length=255)
    how_reached = models.TextField(_("how the group is reached"), blank=True)
    seldom_heard = models.BooleanField(
        _("seldom heard"), default=False, help_text=_("A group that is seldom heard and gets extra resources.")
    )

    panels = [FieldPanel("name"), FieldPanel("how_reached"), FieldPanel("seldom_heard")]

    class Meta(Orderable.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class DialogMethod(Orderable):
    """A method the dialog uses: one of the ladder's method examples, or the municipality's own."""

    page = ParentalKey("wagtail_dialog.DialogPage", on_delete=models.CASCADE, related_name="methods")
    ladder_method = models.CharField(
        _("method from the ladder"), max_length=40, blank=True, choices=method_example_choices()
    )
    own_method = models.CharField(_("own method"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Where, when and how."))

    panels = [FieldRowPanel([FieldPanel("ladder_method"), FieldPanel("own_method")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("method")
        verbose_name_plural = _("methods")

    @property
    def name(self):
        return self.own_method or method_label(self.ladder_method) or ""

    def clean(self):
        super().clean()
        if not self.ladder_method and not self.own_method.strip():
            raise ValidationError({"own_method": _("Choose a method from the ladder or name your own.")})
