"""Contributions (synpunkter): what residents send to a dialog, and their moderation.

``AbstractContribution`` holds everything a contribution is; ``Contribution`` is
the concrete default. A site that needs more fields subclasses the abstract
model in its own app and points WAGTAIL_DIALOG_CONTRIBUTION_MODEL at it (the
pattern of Wagtail's ``AbstractFormSubmission``).

Personal data is kept to what the dialog needs: an optional name, an optional
email used only to tell the author about this contribution and the dialog's
result, and no IP address at all.
"""

import secrets

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from wagtail_dialog.conf import dialog_setting

#: Letters and digits that cannot be mistaken for each other when read aloud
#: or copied from a receipt (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class ContributionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class ModerationReason(models.TextChoices):
    """Why a contribution is not published; each ties to a principle of the dialogue."""

    OFF_TOPIC = "off-topic", _("Off topic for this dialog")
    OFFENSIVE = "offensive", _("Offensive or discriminatory")
    PERSONAL_DATA = "personal-data", _("Contains personal data about others")
    ADVERTISING = "advertising", _("Advertising or spam")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    LETTER = "letter", _("Letter")
    PAPER = "paper", _("Paper form")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class Feasibility(models.TextChoices):
    """The municipality's assessment of a resident's idea for a participatory budget."""

    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not-feasible", _("Not feasible")


class Relation(models.TextChoices):
    """How the author relates to the municipality: a resident is anyone who lives,
    stays or works there (Vara, Alingsås)."""

    LIVES = "lives", _("I live here")
    WORKS = "works", _("I work here")
    STUDIES = "studies", _("I study here")
    VISITS = "visits", _("I visit")
    OTHER = "other", _("Other")


#: How a published contribution shows its author's relation: a short fact, not
#: the form's first-person answer; "other" says nothing worth showing.
RELATION_SHOWN = {
    Relation.LIVES: _("Lives here"),
    Relation.WORKS: _("Works here"),
    Relation.STUDIES: _("Studies here"),
    Relation.VISITS: _("Visitor"),
}


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class ContributionTag(TaggedItemBase):
    content_object = models.ForeignKey(
        "wagtail_dialog.Contribution", on_delete=models.CASCADE, related_name="tagged_items"
    )


class AbstractContribution(index.Indexed, models.Model):
    dialog = models.ForeignKey(
        "wagtail_dialog.DialogPage", verbose_name=_("dialog"), on_delete=models.CASCADE, related_name="+"
    )
    reference = models.CharField(_("reference number"), max_length=12, unique=True, default=new_reference, editable=False)
    text = models.TextField(_("contribution"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    #: Showing one's name is the author's choice, withdrawable by the link in every email to them.
    #: Hiding it takes it off the website only: the name stays in the record.
    name_shown = models.BooleanField(
        _("name shown"),
        default=True,
        help_text=_("Untick to show the contribution without its author's name on the website."),
    )
    notify = models.BooleanField(
        _("tell the author what happens"),
        default=False,
        help_text=_("The author asked to be told about this contribution and the dialog's result."),
    )
    relation = models.CharField(_("relation to the municipality"), max_length=20, choices=Relation.choices, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    # An idea for a participatory budget (DialogPage.collects_ideas): what the author thinks it
    # costs and where, then the municipality's public assessment of it (``ideas.assess``).
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost, kronor"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    feasibility = models.CharField(_("feasibility"), max_length=20, choices=Feasibility.choices, blank=True)
    feasibility_reason = models.TextField(_("reason for the assessment"), blank=True,
                                          help_text=_("Public, shown beside the idea."))
    assessed_cost = models.PositiveBigIntegerField(_("the municipality's cost estimate, kronor"), null=True,
                                                   blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)

    status = models.CharField(
        _("status"), max_length=20, choices=ContributionStatus.choices, default=ContributionStatus.PENDING, db_index=True
    )
    moderation_reason = models.CharField(_("reason"), max_length=20, choices=ModerationReason.choices, blank=True)
    message_to_author = models.TextField(_("message to the author"), blank=True)
    moderator_note = models.TextField(
        _("internal note"), blank=True, help_text=_("Seen only by moderators; never shown to the public or the author.")
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    #: When the author was emailed the dialog's feedback: each author once.
    feedback_sent_at = models.DateTimeField(_("feedback emailed at"), null=True, blank=True, editable=False)
    #: When the personal data was removed at the end of the dialog's retention period.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    reply = models.TextField(_("public reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_signature = models.CharField(
        _("reply signed by"),
        max_length=150,
        blank=True,
        help_text=_("Shown with the reply, e.g. the decision body or the officials' unit."),
    )

    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("The language emails to the author are written in.")
    )
    consent_notice_version = models.CharField(_("privacy notice version"), max_length=50, blank=True)
    # Search terms (see ``search``), kept up to date by save(): the text and the
    # reply for everyone, plus the internal note for moderators. Never names or emails.
    search_terms = models.TextField(editable=False, blank=True, default="")
    moderator_search_terms = models.TextField(editable=False, blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who registered a contribution that came by letter, meeting, email or phone."),
    )

    #: The personal fields and what anonymising sets each to, at the end of the
    #: dialog's retention period and on a person's request for erasure. A site's
    #: own contribution model with more personal fields adds them here.
    personal_data_fields = {
        "name": "", "email": "", "notify": False, "relation": "", "area": "",
        # Free text: a note or a message to the author may name people.
        "moderator_note": "", "message_to_author": "",
    }

    # Only text that may be public is searchable here; names and emails never
    # are. Only published contributions are indexed, kept in step by ``indexing``.
    search_auto_update = False
    search_fields = [
        index.SearchField("text"),
        index.SearchField("reply"),
        index.FilterField("status"),
        index.FilterField("dialog_id"),
    ]

    class Meta:
        abstract = True
        ordering = ["-submitted_at"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"text", "reply", "moderator_note"} & set(update_fields):
            self.update_search_terms()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_terms", "moderator_search_terms"}
        super().save(*args, **kwargs)

    def update_search_terms(self):
        from wagtail_dialog.search.database import stored_terms

        self.search_terms = stored_terms(self.text, self.reply)
        # Without a note (every new contribution) the moderators' terms are the same.
        self.moderator_search_terms = (
            stored_terms(self.text, self.reply, self.moderator_note) if self.moderator_note else self.search_terms
        )

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(status=ContributionStatus.PUBLISHED)

    @property
    def is_published(self):
        return self.status == ContributionStatus.PUBLISHED

    @property
    def relation_shown(self):
        return RELATION_SHOWN.get(self.relation, "")

    @property
    def has_reply(self):
        return bool(self.reply.strip())

    @property
    def is_feasible(self):
        return self.feasibility == Feasibility.FEASIBLE

    @property
    def can_be_told(self):
        """The author opted in and gave an address to tell."""
        return self.notify and bool(self.email)


class Contribution(AbstractContribution):
    tags = TaggableManager(
        through=ContributionTag,
        blank=True,
        verbose_name=_("tags"),
        # Our own words: taggit's help text has no Swedish translation.
        help_text=_("Subjects for compiling the result, separated by commas."),
    )

    class Meta(AbstractContribution.Meta):
        indexes = [models.Index(fields=["dialog", "status", "-submitted_at"])]
        permissions = [
            ("moderate_contribution", _("Can moderate contributions")),
            ("view_personal_data", _("Can see contributors' names and emails")),
        ]


def get_contribution_model():
    """The contribution model in use: WAGTAIL_DIALOG_CONTRIBUTION_MODEL, or the default."""
    return apps.get_model(dialog_setting("CONTRIBUTION_MODEL"), require_ready=False)


def get_dialog_model():
    """The dialog page model, reached through the contribution model's relation.

    Services (emails, search, follow-up, privacy) need to ask for dialogs but
    sit below the page models; this is their way there without importing a
    page module, which would close an import circle through the pages that
    call them.
    """
    return get_contribution_model()._meta.get_field("dialog").related_model
