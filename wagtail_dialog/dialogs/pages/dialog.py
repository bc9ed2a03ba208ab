"""The dialog page: one dialog, with the fields every policy requires it to
state up front (the question, the level on the participation ladder, what is
open to influence and what is fixed, who decides and when, how feedback is
given) and the editor's panels for them.

What it does with a resident's request besides showing itself (a contribution
sent, the participant survey, the unsubscribe link) is in ``wagtail_dialog.public``,
whose views receive the page; its sub-paths are routed by RoutablePageMixin.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.dialogs.blocks import DialogContentBlock, YouSaidWeDidBlock
from wagtail_dialog.dialogs.gallring import AfterRetention
from wagtail_dialog.dialogs.gate import GATE_QUESTION_BY_FIELD, GATE_QUESTIONS, GATE_RULE, GateAnswer
from wagtail_dialog.dialogs.legal_basis import LegalBasis
from wagtail_dialog.dialogs.levels import ParticipationLevel, describe, reaches
from wagtail_dialog.dialogs.pages.panels import ListInlinePanel, TagWidget
from wagtail_dialog.dialogs.publication import DialogPageForm
from wagtail_dialog.dialogs.status import DialogStatus, status_of
from wagtail_dialog.dialogs.types import DialogType, definition
from wagtail_dialog.followup import open_data
from wagtail_dialog.methods.base import RESERVED_SLUGS, MethodPage, level_refusal, way_at, ways_below
from wagtail_dialog.methods.meetings import upcoming
from wagtail_dialog.methods.registry import methods
from wagtail_dialog.methods.surveys.blocks import SurveyResultBlock
from wagtail_dialog.public import contribution, contribution_link, dialog_page, privacy_page, survey, unsubscribe
from wagtail_dialog.shared_cache import purge
from wagtail_dialog.shared_cache.cross_site import resident_form
from wagtail_dialog.shared_cache.headers import for_everyone


class DialogPageTag(TaggedItemBase):
    content_object = ParentalKey("wagtail_dialog.DialogPage", on_delete=models.CASCADE, related_name="tagged_items")


class DialogPage(RoutablePageMixin, Page):
    """One dialog: the question, how much residents can influence, who decides and when."""

    dialog_type = models.CharField(
        _("type of dialogue"),
        max_length=30,
        choices=DialogType.choices,
        default=DialogType.CITIZEN,
        help_text=_("Only a citizen dialogue is the elected representatives' own dialogue with residents."),
    )
    question = models.TextField(_("question"), help_text=_("The question residents are asked, in one or two sentences."))
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Why the dialogue is held."))
    background = RichTextField(
        _("background"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Earlier decisions, activities and measures on the question."),
    )
    participation_level = models.CharField(
        _("participation level"),
        max_length=20,
        choices=ParticipationLevel.choices,
        help_text=_("The step on the participation ladder: how much residents can influence."),
    )
    scope_open = models.TextField(
        _("open to influence"), blank=True, help_text=_("What residents can change through the dialogue.")
    )
    decision_body = models.ForeignKey(
        "wagtail_dialog.DecisionBody",
        verbose_name=_("decision body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dialogs",
    )
    case_number = models.CharField(_("case number"), max_length=50, blank=True, help_text=_("Diarienummer, e.g. KS 2026/123."))
    representatives = models.TextField(
        _("responsible representatives"),
        blank=True,
        help_text=_(
            "The elected representatives who lead the dialogue. Shown to residents on the dialogue's page, "
            "under who decides."
        ),
    )
    opens_on = models.DateField(
        _("opens on"), null=True, blank=True, help_text=_("A dialog with an opening date opens for contributions.")
    )
    closes_on = models.DateField(_("closes on"), null=True, blank=True, help_text=_("The last day for contributions."))
    decision_expected_on = models.DateField(_("decision expected on"), null=True, blank=True)
    # A statutory consultation, say, takes written views by post or at the
    # town hall: the page must still say how and until when (issue 13).
    other_ways = models.TextField(
        _("how to give views other than on this page"),
        blank=True,
        help_text=_(
            "For a dialogue that takes views some other way (in writing, by email, at a meeting): say how, to whom, "
            "and what to mention, in plain words. Shown to residents where the form would be."
        ),
    )
    other_ways_until = models.DateField(
        _("views taken that way until"), null=True, blank=True, help_text=_("The last day views are taken that way.")
    )
    feedback_due_on = models.DateField(
        _("feedback promised by"), null=True, blank=True, help_text=_("The date residents are promised feedback.")
    )
    result_use = models.TextField(
        _("how the result will be used"), blank=True, help_text=_("How the result becomes part of the decision basis.")
    )
    feedback_method = models.TextField(
        _("how feedback will be given"), blank=True, help_text=_("How and where participants will hear what came of it.")
    )

    gate_question_open = models.CharField(
        GATE_QUESTION_BY_FIELD["gate_question_open"].label, max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_question_open_motivation = models.TextField(_("motivation"), blank=True)
    gate_decision_makers_open = models.CharField(
        GATE_QUESTION_BY_FIELD["gate_decision_makers_open"].label, max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_decision_makers_open_motivation = models.TextField(_("motivation"), blank=True)
    gate_knowledge_needed = models.CharField(
        GATE_QUESTION_BY_FIELD["gate_knowledge_needed"].label, max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_knowledge_needed_motivation = models.TextField(_("motivation"), blank=True)
    gate_residents_learn = models.CharField(
        GATE_QUESTION_BY_FIELD["gate_residents_learn"].label, max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_residents_learn_motivation = models.TextField(_("motivation"), blank=True)

    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_summary = models.TextField(_("decision"), blank=True, help_text=_("What the decision body decided."))
    minutes_url = models.URLField(
        _("link to the minutes"), blank=True, help_text=_("The minutes (protokoll) or decision document, if online.")
    )
    feedback_published_on = models.DateField(
        _("feedback published on"), null=True, blank=True, help_text=_("Set when the feedback below is given.")
    )
    feedback_summary = models.TextField(_("what we heard"), blank=True)
    participation_effect = models.TextField(
        _("how participation affected the decision"),
        blank=True,
        help_text=_("Required with feedback: how the residents' participation affected the process."),
    )
    participant_count = models.PositiveIntegerField(
        _("people who took part"),
        null=True,
        blank=True,
        help_text=_(
            "As counted by those who ran the dialogue: everyone who took part, at meetings and workshops as well as "
            "on the web. Reported in the annual follow-up."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months)"),
        null=True,
        validators=[MinValueValidator(1)],
        blank=True,
        help_text=_(
            "Months from the closing or feedback date, whichever is later, before names and email addresses in the "
            "contributions are removed. Empty: the site's period."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        # The empty choice named, not Django's dashes.
        choices=[("", _("The site's"))] + LegalBasis.choices,
        blank=True,
        help_text=_("Empty: the site's. E.g. a legal obligation for a statutory consultation (samråd)."),
    )
    controller = models.CharField(
        _("controller"),
        max_length=255,
        blank=True,
        help_text=_("The committee responsible for the personal data in this dialog. Empty: the site's."),
    )
    after_retention = models.CharField(
        _("after the retention period"),
        max_length=20,
        choices=[("", _("The site's"))] + AfterRetention.choices,
        blank=True,
        help_text=_("Empty: the site's."),
    )
    gallring_decision = models.CharField(
        _("decision allowing gallring"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the site's. The decision in the document management plan that allows removing the "
                    "personal data in this dialog's contributions."),
    )
    archived_on = models.DateField(
        _("registered or archived on"),
        null=True,
        blank=True,
        help_text=_("When the dialog's records (e.g. its archive export) were registered under its case number or "
                    "archived. Until then the daily job warns about them before anonymising anything."),
    )
    gallring_hold = models.BooleanField(
        _("hold: remove nothing for now"),
        default=False,
        help_text=_("While a request to read the records or an appeal is pending: the end of the retention period "
                    "removes nothing until the hold is lifted."),
    )
    gallring_hold_reason = models.CharField(_("reason for the hold"), max_length=255, blank=True)
    feedback_pairs = StreamField(
        [("you_said_we_did", YouSaidWeDidBlock()), ("survey_result", SurveyResultBlock())],
        blank=True,
        verbose_name=_("you said – we did"),
        help_text=_("What residents said and what the municipality did about it, and survey results it quotes, "
                    "shown with the feedback."),
    )

    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=[("pre", _("Before publishing: hidden until approved")), ("post", _("After publishing: visible at once"))],
        default="pre",
    )
    show_contributions = models.BooleanField(
        _("show published contributions on the page"), default=True
    )
    max_contribution_length = models.PositiveIntegerField(
        _("longest contribution"),
        null=True,
        blank=True,
        help_text=_("In characters. Leave empty for the site's default."),
    )
    collects_ideas = models.BooleanField(
        _("contributions are ideas for a participatory budget"),
        default=False,
        help_text=_("The form also asks what the idea may cost and where; moderators assess each idea as feasible "
                    "or not, with a public reason and their own cost estimate, and make feasible ideas a vote's "
                    "options."),
    )

    tags = ClusterTaggableManager(
        through=DialogPageTag,
        blank=True,
        verbose_name=_("tags"),
        # Our own words: taggit's help text has no Swedish translation.
        help_text=_(
            "Subjects of the dialogue, separated by commas. Shown on the page, where residents can find every "
            "dialogue on the same subject."
        ),
    )
    body = StreamField(DialogContentBlock(), blank=True, verbose_name=_("body"))
    # Search terms of what the page says in public (see ``search``); set on a
    # full save, which is how a page is published, never from a draft.
    search_terms = models.TextField(editable=False, blank=True, default="")

    parent_page_types = ["wagtail_dialog.DialogIndexPage"]
    template = "wagtail_dialog/pages/dialog_page.html"
    #: What a way to take part below never shows of its dialog (its title, dates and level, yes):
    #: left out when the way reads it, which every survey answer does.
    fields_ways_leave_out = ("body", "background", "feedback_pairs", "search_terms")
    base_form_class = DialogPageForm

    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("purpose"),
        index.SearchField("background"),
        index.SearchField("scope_open"),
        index.SearchField("body"),
        index.FilterField("participation_level"),
        index.FilterField("dialog_type"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("purpose"),
        FieldPanel("background"),
        FieldRowPanel([FieldPanel("dialog_type"), FieldPanel("participation_level")]),
        MultiFieldPanel(
            [
                FieldPanel("scope_open"),
                ListInlinePanel("scope_limits", heading=_("Fixed by"), label=_("Limit"), add_label=_("Add a limit")),
            ],
            heading=_("Scope for influence"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_body"), FieldPanel("case_number")]),
                FieldPanel("representatives"),
            ],
            heading=_("Who decides"),
        ),
        FieldPanel("tags", widget=TagWidget),
        FieldPanel("body"),
    ]
    planning_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldRowPanel([FieldPanel("decision_expected_on"), FieldPanel("feedback_due_on")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("other_ways"), FieldPanel("other_ways_until")], heading=_("Other ways to give views")
        ),
        ListInlinePanel(
            "target_groups", heading=_("Target groups"), label=_("Target group"), add_label=_("Add a target group")
        ),
        ListInlinePanel("methods", heading=_("Methods"), label=_("Method"), add_label=_("Add a method")),
        FieldPanel("result_use"),
        FieldPanel("feedback_method"),
        MultiFieldPanel(
            [FieldPanel("moderation"), FieldPanel("show_contributions"), FieldPanel("max_contribution_length"),
             FieldPanel("collects_ideas")],
            heading=_("Contributions"),
        ),
    ]
    # The rule first, before anyone fails it; each question in full as its
    # answer's label (a panel heading cuts a long question off).
    gate_panels = [
        HelpPanel(content=format_html("<p>{}</p>", GATE_RULE)),
        *(
            MultiFieldPanel(
                [FieldPanel(q.field, heading=q.text), FieldPanel(f"{q.field}_motivation")], heading=capfirst(q.label)
            )
            for q in GATE_QUESTIONS
        ),
    ]
    outcome_panels = [
        MultiFieldPanel(
            [FieldPanel("decided_on"), FieldPanel("decision_summary"), FieldPanel("minutes_url")], heading=_("Decision")
        ),
        MultiFieldPanel(
            [
                FieldPanel("feedback_published_on"),
                FieldPanel("feedback_summary"),
                FieldPanel("participation_effect"),
                FieldPanel("feedback_pairs"),
            ],
            heading=_("Feedback"),
        ),
        FieldPanel("participant_count"),
        MultiFieldPanel(
            [FieldPanel("legal_basis"), FieldPanel("controller"), FieldPanel("retention_months")],
            heading=_("Personal data"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("after_retention"),
                FieldPanel("gallring_decision"),
                FieldPanel("archived_on"),
                FieldPanel("gallring_hold"),
                FieldPanel("gallring_hold_reason"),
            ],
            heading=_("Gallring and archiving"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Dialog")),
            ObjectList(gate_panels, heading=_("Gate")),
            ObjectList(planning_panels, heading=_("Planning")),
            ObjectList(outcome_panels, heading=_("Outcome")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("dialog page")
        verbose_name_plural = _("dialog pages")

    # The page's own address and, below it, the participant survey, the
    # privacy notice and the unsubscribe link of the emails to authors. RoutablePageMixin costs the
    # contribution POST nothing measurable: bench/contributions.py --only
    # submit gave 0.98x and 0.99x Wagtail's FormPage with the hand-written
    # route, 0.98x to 1.01x with this (the runs' own spread).
    @path("")
    @resident_form
    def dialog(self, request):
        """The page; a POST is a resident sending a contribution through the form on it."""
        return contribution.serve(self, request)

    @path(f"{contribution.RECEIPT_PATH}/")
    def contribution_receipt(self, request):
        """The receipt after sending, at an address of its own that no cache keeps."""
        return contribution.receipt(self, request)

    @path(f"{survey.SURVEY_PATH}/")
    @resident_form
    def participant_survey(self, request):
        return survey.serve(self, request)

    @path(f"{survey.SURVEY_PATH}/{survey.THANKS_PATH}/")
    def participant_survey_thanks(self, request):
        return survey.serve(self, request, thanks=True)

    @path(f"{privacy_page.PRIVACY_PATH}/")
    def privacy(self, request):
        return for_everyone(request, privacy_page.serve(self, request))

    @re_path(rf"^{contribution_link.CONTRIBUTION_PATH}/(?P<reference>[A-Za-z0-9]{{1,12}})/$")
    def contribution_link(self, request, reference):
        """A published contribution's lasting address (a vote's option links to the ideas it came from)."""
        return contribution_link.serve(self, request, reference)

    @re_path(rf"^{unsubscribe.UNSUBSCRIBE_PATH}/(?P<token>[^/]+)/$")
    def unsubscribe_link(self, request, token):
        return unsubscribe.serve(self, request, token)

    def route(self, request, path_components):
        """A way to take part below is found in one query (Wagtail's child lookup
        and its ``.specific`` take two), and knows its dialog without asking again;
        the dialog's own sub-pages keep the slugs they use (methods.base)."""
        if path_components and path_components[0] not in RESERVED_SLUGS:
            way = way_at(f"{self.url_path}{path_components[0]}/", self.depth + 1, self.path)
            if way is not None:
                way._dialog = way._cached_parent_obj = self
                return way.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_cached_paths(self):
        # What a shared cache keeps of this page, for wagtail.contrib.frontend_cache to purge.
        return purge.dialog_paths(
            self,
            per_page=dialog_setting("CONTRIBUTIONS_PER_PAGE"),
            below=[f"{privacy_page.PRIVACY_PATH}/", f"{survey.SURVEY_PATH}/", f"{survey.SURVEY_PATH}/{survey.THANKS_PATH}/"],
        )

    def get_context(self, request, *args, **kwargs):
        # What the page shows besides its fields: the form or a notice, the
        # published contributions, the receipt (see public.dialog_page).
        shown = {name: kwargs.pop(name) for name in dialog_page.SHOWN if name in kwargs}
        return dialog_page.add_context(self, request, super().get_context(request, *args, **kwargs), **shown)

    @classmethod
    def clean_subpage_models(cls):
        # Below a dialog: its ways to take part, every kind registered (methods.registry).
        return [apps.get_model(method.page_model) for method in methods()]

    def ways_to_take_part(self, request=None):
        """The live ways to take part below the page, in the editors' order (one query)."""
        return ways_below([self], request)[self.pk]

    @property
    def privacy_url(self):
        """The dialog's privacy notice page, relative to the site."""
        return (self.url or "").rstrip("/") + f"/{privacy_page.PRIVACY_PATH}/"

    @property
    def survey_open(self):
        """Participants can answer the survey once the dialog has opened."""
        return self.opens_on is not None and self.opens_on <= timezone.localdate()

    def survey_url(self, request=None):
        """The survey's address, relative to the site (absolute without a request, for emails)."""
        base = self.get_url(request) if request is not None else self.get_full_url()
        return base.rstrip("/") + f"/{survey.SURVEY_PATH}/"

    @property
    def status(self):
        return status_of(self, timezone.localdate())

    @property
    def status_applies(self):
        """Whether showing a status helps: not on an information page that
        never opens for contributions and has no recorded decision."""
        return bool(self.opens_on or self.decided_on or self.feedback_published_on)

    @property
    def level(self):
        return describe(self.participation_level)

    @property
    def opens_for_contributions(self):
        return self.opens_on is not None

    @property
    def accepts_contributions(self):
        """Open today, and at a level where residents have a say."""
        level = self.level
        return self.status == DialogStatus.OPEN and level is not None and level.is_dialogue

    @property
    def contribution_max_length(self):
        return self.max_contribution_length or dialog_setting("DEFAULT_MAX_LENGTH")

    @property
    def type_definition(self):
        return definition(self.dialog_type)

    @property
    def is_citizen_dialogue(self):
        return self.dialog_type == DialogType.CITIZEN

    @property
    def takes_views_elsewhere(self):
        """Views are taken some other way than this page's form, and still are
        today: until ``other_ways_until``, or without that date while the
        dialog is upcoming or open; never once feedback is given."""
        if not self.other_ways.strip():
            return False
        status = self.status
        if status == DialogStatus.FEEDBACK_GIVEN:
            return False
        if self.other_ways_until:
            return self.other_ways_until >= timezone.localdate()
        return status in (DialogStatus.UPCOMING, DialogStatus.OPEN)

    @property
    def feedback_given(self):
        return self.status == DialogStatus.FEEDBACK_GIVEN

    def save(self, *args, **kwargs):
        # Wagtail saves drafts with update_fields (revision bookkeeping only):
        # their content must not reach the public search.
        if kwargs.get("update_fields") is None:
            self.update_search_terms()
        return super().save(*args, **kwargs)

    def update_search_terms(self):
        from django.utils.html import strip_tags

        from wagtail_dialog.search.database import stored_terms

        body = " ".join(str(text) for text in self.body.stream_block.get_searchable_content(self.body))
        tags = " ".join(tag.name for tag in self.tags.all())
        self.search_terms = stored_terms(
            self.title, self.question, self.purpose, strip_tags(self.background), self.scope_open,
            strip_tags(body), tags, self.decision_summary, self.feedback_summary, self.participation_effect,
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The closing date cannot be before the opening date.")
        if self.other_ways_until and not self.other_ways.strip():
            errors["other_ways"] = _("Say how residents give their views until that day.")
        if self.feedback_published_on and not self.participation_effect.strip():
            errors["participation_effect"] = _(
                "Feedback must say how the residents' participation affected the decision."
            )
        if self.pk is not None and self.participation_level:
            # Lowering the level must not leave a live way to take part it no longer allows.
            for way in MethodPage.objects.child_of(self).live().specific():
                if not reaches(self.participation_level, way.lowest_level):
                    errors["participation_level"] = level_refusal(type(way), self)
                    break
        if self.slug in open_data.RESERVED_SLUGS:
            errors["slug"] = _("This address is taken by the dialog index's open data. Choose another slug.")
        elif self.slug == upcoming.LIST_PATH:
            errors["slug"] = _("This address is taken by the dialog index's list of meetings. Choose another slug.")
        if errors:
            raise ValidationError(errors)
