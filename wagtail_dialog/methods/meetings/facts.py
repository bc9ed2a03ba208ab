"""The words a meeting is described in: what kind it is, where it happens,
whether residents sign up, and its accessibility stated as facts (yes, no or
not known), never as adjectives such as "accessible"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    # The methods the policies name (DOMAIN.md): dialogcafé, framtidsverkstad, öppet hus, tätortsvandring.
    DIALOGUE_CAFE = "dialogue_cafe", _("Dialogue café")
    WORKSHOP = "workshop", _("Workshop")
    OPEN_HOUSE = "open_house", _("Open house")
    WALK = "walk", _("Walk")
    DIGITAL = "digital", _("Digital meeting")
    OTHER = "other", _("Meeting")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Fact(models.TextChoices):
    """An accessibility fact: the unknown is said as unknown, never guessed."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class SignUp(models.TextChoices):
    NONE = "none", _("No sign-up: just come")
    HERE = "here", _("Sign up on this site")
    ELSEWHERE = "elsewhere", _("Sign up elsewhere (a link)")
