"""The words a vote is described in: how residents choose, how one ballot per
person is kept, and what stands behind a ballot."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VoteMethod(models.TextChoices):
    ONE = "one", _("Choose one option")
    SEVERAL = "several", _("Choose up to a number of options")
    BUDGET = "budget", _("Share a budget: choose options whose costs fit within it")


class Credential(models.TextChoices):
    """How a vote keeps to one ballot per person without accounts; stated on the vote's page."""

    OPEN = "open", _("Anyone, once per browser (easy to get round: the result is indicative)")
    EMAIL = "email", _("One ballot per email address, cast by a link sent to it (the address is not kept)")
    CODE = "code", _("One ballot per one-time code, handed out or posted by the municipality")


class Proof(models.TextChoices):
    """What a ballot was cast with: the vote's credential, or, for a paper ballot without a code,
    the staff's declaration that the voter's eligibility was checked in person."""

    OPEN = "open", _("Browser")
    EMAIL = "email", _("Email link")
    CODE = "code", _("Code")
    IN_PERSON = "in_person", _("Eligibility checked in person")


class Implementation(models.TextChoices):
    """Where an option stands after the vote, for residents to follow."""

    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    NOT_CARRIED_OUT = "not_carried_out", _("Not carried out")
