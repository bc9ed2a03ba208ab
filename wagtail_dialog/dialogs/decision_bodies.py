"""The elected bodies that take decisions after a dialogue (beslutsinstans).

The decision always stays with the elected body, so every dialog that opens for
contributions names one; a snippet lets a site enter its bodies once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class DecisionBodyKind(models.TextChoices):
    MUNICIPAL_COUNCIL = "kf", _("Municipal council (kommunfullmäktige)")
    EXECUTIVE_BOARD = "ks", _("Municipal executive board (kommunstyrelsen)")
    COMMITTEE = "committee", _("Committee (nämnd)")
    SUBCOMMITTEE = "subcommittee", _("Subcommittee (utskott)")
    BOARD = "board", _("Board (styrelse)")


class DecisionBody(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionBodyKind.choices)

    panels = [FieldPanel("name"), FieldPanel("kind")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("decision body")
        verbose_name_plural = _("decision bodies")

    def __str__(self):
        return self.name
