"""Dialog pages: an index that lists dialogs and the dialog page itself.

A dialog states in structured fields what every policy requires it to state up
front: the question, the level on the participation ladder, what is open to
influence and what is fixed, who decides and when, and how feedback is given.
"""

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.dialogs.blocks import DialogContentBlock, YouSaidWeDidBlock
from wagtail_dialog.dialogs.types import DialogType, definition
from wagtail_dialog.dialogs.filters import DialogFilterForm
from wagtail_dialog.dialogs.gate import GATE_QUESTIONS, GateAnswer, gate_answers
from wagtail_dialog.dialogs.levels import ParticipationLevel, describe, ladder_steps, method_example_choices, method_label
from wagtail_dialog.search.public import dialog_facets, find
from wagtail_dialog.dialogs.publication import DialogPageForm
from wagtail_dialog.dialogs.status import DialogStatus, status_filter, status_of
from wagtail_dialog.contributions import notifications
from wagtail_dialog.followup import open_data
from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.followup.feedback import days_late
from wagtail_dialog.followup.evaluation import record_response
from wagtail_dialog.contributions.forms import ContributionForm, SurveyForm, dialog_site_settings, posted_data, shown
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.contributions.receipts import forget_receipt, give_receipt, take_receipt
from wagtail_dialog.contributions.submission import SubmissionRefused, submit_contribution


#: The path below a dialog page that the feedback emails' unsubscribe links use.
UNSUBSCRIBE_PATH = "unsubscribe"
SURVEY_PATH = "survey"
SURVEY_THANKS_PATH = "thanks"


class ListInlinePanel(InlinePanel):
    """An InlinePanel whose add button says what it adds, in a whole phrase.

    Wagtail writes the button as "Add {label}" from the label that also heads
    every item, which reads "Add Fixed by" for a label that suits the heading.
    ``add_label`` is the button's whole text ("Add a limit") instead.
    """

    def __init__(self, *args, add_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "wagtail_dialog/admin/inline_panel.html"


class DialogIndexPage(Page):
    """Lists the dialogs below it, filterable by status, level and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    subpage_types = ["wagtail_dialog.DialogPage"]
    template = "wagtail_dialog/pages/dialog_index_page.html"

    class Meta:
        verbose_name = _("dialog index page")
        verbose_name_plural = _("dialog index pages")

    def route(self, request, path_components):
        """Find a dialog below in one query: the children are dialog pages, so
        the generic page lookup and its ``.specific`` query fold into one."""
        if not path_components:
            return super().route(request, path_components)
        if open_data.answers(request, path_components):
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"open_data_path": list(path_components)})
        # By url_path, which Wagtail keeps for every page: one equality is
        # cheaper to build and run than treebeard's child_of (a LIKE on path
        # and two depth tests), and a POST pays for this lookup on every
        # contribution sent. url_path is not indexed, but the join starts
        # from the dialog pages, few beside all pages. The tree position is
        # checked here so that a page of another tree with the same url_path
        # (another site's root could share slugs) is never taken. No ORDER BY:
        # it adds nothing to one row, and Django hashes every selected column
        # (some sixty) to build it.
        candidates = DialogPage.objects.filter(url_path=f"{self.url_path}{path_components[0]}/").order_by()
        dialog = next(
            (page for page in candidates if page.depth == self.depth + 1 and page.path.startswith(self.path)), None
        )
        if dialog is None:
            # Not a dialog page: perhaps a child from before subpage_types, or a 404.
            return super().route(request, path_components)
        dialog._cached_parent_obj = self
        return dialog.route(request, path_components[1:])

    def serve(self, request, *args, open_data_path=None, **kwargs):
        # Served here, after Wagtail's checks (a private index keeps its data private).
        if open_data_path is not None:
            return open_data.respond(self, request, open_data_path)
        return super().serve(request, *args, **kwargs)

    def dialogs(self):
        # Newest first; pages without an opening date (information pages) last
        # on every database, not only where NULLs happen to sort last.
        return (
            DialogPage.objects.live()
            .public()
            .child_of(self)
            .specific()
            .order_by(F("opens_on").desc(nulls_last=True), "title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        every = self.dialogs()
        form = DialogFilterForm(request.GET or None, tag_choices=self.tag_choices(every))
        # Invalid values show their errors next to the fields, and the
        # unfiltered list below: never an empty page or an error page.
        chosen = form.chosen()
        query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
        per_page = dialog_setting("INDEX_PER_PAGE")
        if query:
            findings = find(every, query, chosen)
            # Paginated by count: the hits of the page are fetched on their own.
            paginator = Paginator(range(findings.total), per_page)
            page_obj = paginator.get_page(request.GET.get("page"))
            offset = (page_obj.number - 1) * per_page
            facets, hits, dialogs = findings.facets, findings.hits(offset, per_page), []
        else:
            dialogs = every
            today = timezone.localdate()
            if chosen["status"]:
                dialogs = dialogs.filter(status_filter(chosen["status"], today))
            if chosen["level"]:
                dialogs = dialogs.filter(participation_level=chosen["level"])
            if chosen["tag"]:
                dialogs = dialogs.filter(tags__slug=chosen["tag"]).distinct()
            paginator = Paginator(dialogs, per_page)
            page_obj = paginator.get_page(request.GET.get("page"))
            dialogs, hits, facets = page_obj.object_list, [], dialog_facets(every, chosen)
        context.update(
            filter_form=form,
            filter_fields=form.fields_with_counts(facets),
            search_query=query,
            search_hits=hits,
            dialogs=dialogs,
            page_obj=page_obj,
            paginator=paginator,
            filter_querystring=form.querystring() if form.is_bound and form.is_valid() else "",
        )
        return context

    @staticmethod
    def tag_choices(dialogs):
        return list(
            DialogPageTag.objects.filter(content_object__in=dialogs)
            .values_list("tag__slug", "tag__name")
            .distinct()
            .order_by("tag__name")
        )


class DialogPageTag(TaggedItemBase):
    content_object = ParentalKey("wagtail_dialog.DialogPage", on_delete=models.CASCADE, related_name="tagged_items")


class DialogPage(Page):
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
    feedback_due_on = models.DateField(
        _("feedback promised by"), null=True, blank=True, help_text=_("The date residents are promised feedback.")
    )
    result_use = models.TextField(
        _("how the result will be used"), blank=True, help_text=_("How the result becomes part of the decision basis.")
    )
    feedback_method = models.TextField(
        _("how feedback will be given"), blank=True, help_text=_("How and where participants will hear what came of it.")
    )

    gate_question_open = models.CharField(_("question open to influence"), max_length=10, choices=GateAnswer.choices, blank=True)
    gate_question_open_motivation = models.TextField(_("motivation"), blank=True)
    gate_decision_makers_open = models.CharField(
        _("decision-makers open to influence"), max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_decision_makers_open_motivation = models.TextField(_("motivation"), blank=True)
    gate_knowledge_needed = models.CharField(
        _("representatives need residents' knowledge"), max_length=10, choices=GateAnswer.choices, blank=True
    )
    gate_knowledge_needed_motivation = models.TextField(_("motivation"), blank=True)
    gate_residents_learn = models.CharField(
        _("residents learn about priorities"), max_length=10, choices=GateAnswer.choices, blank=True
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
    feedback_pairs = StreamField(
        [("you_said_we_did", YouSaidWeDidBlock())],
        blank=True,
        verbose_name=_("you said – we did"),
        help_text=_("What residents said and what the municipality did about it, shown with the feedback."),
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
    subpage_types = []
    template = "wagtail_dialog/pages/dialog_page.html"
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
        FieldPanel("tags"),
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
        ListInlinePanel(
            "target_groups", heading=_("Target groups"), label=_("Target group"), add_label=_("Add a target group")
        ),
        ListInlinePanel("methods", heading=_("Methods"), label=_("Method"), add_label=_("Add a method")),
        FieldPanel("result_use"),
        FieldPanel("feedback_method"),
        MultiFieldPanel(
            [FieldPanel("moderation"), FieldPanel("show_contributions"), FieldPanel("max_contribution_length")],
            heading=_("Contributions"),
        ),
    ]
    gate_panels = [
        MultiFieldPanel([FieldPanel(q.field), FieldPanel(f"{q.field}_motivation")], heading=q.text)
        for q in GATE_QUESTIONS
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
        FieldPanel("retention_months"),
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

    def serve(self, request, *args, **kwargs):
        """Show the page; a POST is a resident sending a contribution through
        the form on it (a plain HTML form: no JavaScript needed).

        Success redirects back to the page (POST-redirect-GET) with the receipt
        in a short-lived signed cookie (see ``receipts``), so reloading never
        sends twice and the reference number never appears in a URL.
        """
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        token = kwargs.pop("unsubscribe_token", None)
        if token is not None:
            return self.serve_unsubscribe(request, token)
        survey = kwargs.pop("survey", None)
        if survey is not None:
            return self.serve_survey(request, thanks=survey == SURVEY_THANKS_PATH)
        if request.method != "POST":
            receipt = take_receipt(request, self) if request.method == "GET" else None
            if receipt is None:
                return super().serve(request, *args, **kwargs)
            return forget_receipt(super().serve(request, *args, contribution_receipt=receipt, **kwargs), request)
        site_settings = dialog_site_settings(request, self)
        areas = site_settings.area_choices() if site_settings else ()
        form = ContributionForm(posted_data(request), dialog=self, areas=areas)
        status = 200
        refusal = None
        if not self.accepts_contributions:
            refusal, status = _("The dialogue is not open for contributions, so nothing was stored."), 403
        elif not form.is_valid():
            # Refused forms are not counted, but a client over the limit is
            # told so now rather than after mending the form.
            if ratelimit.is_limited(request, self):
                form.add_error(None, ratelimit.refusal_message())
                status = 429
        # A valid form is counted: over the limit, the count refuses it.
        elif not ratelimit.count(request, self):
            form.add_error(None, ratelimit.refusal_message())
            status = 429
        else:
            try:
                contribution = submit_contribution(
                    self,
                    consent=form.cleaned_data["consent"],
                    consent_notice_version=site_settings.privacy_notice_version if site_settings else "",
                    language=translation.get_language() or django_settings.LANGUAGE_CODE,
                    site_settings=site_settings,
                    **form.contribution_data(),
                )
            except SubmissionRefused as refused:
                refusal, status = refused.message, 403
            else:
                # Back to where the form was sent: this page's own address.
                redirect = HttpResponseRedirect(request.path + "#wd-receipt")
                return give_receipt(redirect, request, self, contribution)
        if refusal is not None:
            text = form.data.get("text", "")
            kwargs.update(contribution_refusal=refusal, refused_text=shown(text) if isinstance(text, str) else "")
        else:
            kwargs.update(contribution_form=form)
        response = super().serve(request, *args, **kwargs)
        response.status_code = status
        return response

    def route(self, request, path_components):
        # <dialog>/unsubscribe/<token>/: the link in the feedback emails.
        if len(path_components) == 2 and path_components[0] == UNSUBSCRIBE_PATH and self.live:
            return RouteResult(self, kwargs={"unsubscribe_token": path_components[1]})
        # <dialog>/survey/ and <dialog>/survey/thanks/: the participant survey.
        if path_components[:1] == [SURVEY_PATH] and self.live and self.survey_open:
            if path_components[1:] in ([], [SURVEY_THANKS_PATH]):
                return RouteResult(self, kwargs={"survey": path_components[1] if len(path_components) == 2 else ""})
        return super().route(request, path_components)

    def serve_survey(self, request, thanks=False):
        """The anonymous participant survey (see ``evaluation``); a plain HTML
        form, sent back to the thanks page (POST-redirect-GET)."""
        form, status = None, 200
        if not thanks:
            if request.method == "POST":
                form = SurveyForm(posted_data(request))
                if form.is_valid():
                    if ratelimit.count(request, self, scope=SURVEY_PATH):
                        record_response(self, form.answers(), improvement=form.cleaned_data["improvement"])
                        return HttpResponseRedirect(self.survey_url(request) + SURVEY_THANKS_PATH + "/")
                    form.add_error(None, _("Many answers have come from your connection in a short while. Wait a "
                                           "while and send again; your answers are still in the form."))
                    status = 429
            else:
                form = SurveyForm()
        context = {"page": self, "self": self, "form": form, "thanks": thanks}
        response = TemplateResponse(request, "wagtail_dialog/pages/survey.html", context, status=status)
        add_never_cache_headers(response)
        return response

    @property
    def survey_open(self):
        """Participants can answer the survey once the dialog has opened."""
        return self.opens_on is not None and self.opens_on <= timezone.localdate()

    def survey_url(self, request=None):
        """The survey's address, relative to the site (absolute without a request, for emails)."""
        base = self.get_url(request) if request is not None else self.get_full_url()
        return base.rstrip("/") + f"/{SURVEY_PATH}/"

    def serve_unsubscribe(self, request, token):
        """Stop the emails about one contribution: a GET asks (mail scanners
        follow links), a POST does it. A broken link says so."""
        contribution = notifications.contribution_for_unsubscribe(token, self)
        status = 200
        if contribution is None:
            state, status = "invalid", 404
        elif not contribution.notify:
            state = "done"
        elif request.method == "POST":
            notifications.unsubscribe(contribution)
            state = "done"
        else:
            state = "confirm"
        context = {"page": self, "self": self, "state": state,
                   "reference": contribution.reference if contribution else ""}
        response = TemplateResponse(request, "wagtail_dialog/pages/unsubscribe.html", context, status=status)
        add_never_cache_headers(response)
        return response

    def get_context(
        self,
        request,
        *args,
        contribution_form=None,
        contribution_refusal=None,
        refused_text="",
        contribution_receipt=None,
        **kwargs,
    ):
        context = super().get_context(request, *args, **kwargs)
        questions = gate_answers(self)
        context.update(
            ladder_steps=ladder_steps(self.participation_level),
            gate_questions=questions,
            gate_answered=any(question["answer"] for question in questions),
        )

        site_settings = dialog_site_settings(request, self)

        notice = None
        if self.accepts_contributions and contribution_refusal is None:
            if contribution_form is None:
                areas = site_settings.area_choices() if site_settings else ()
                contribution_form = ContributionForm(dialog=self, areas=areas)
        else:
            contribution_form = None
            level = self.level
            if self.opens_on and level is not None and level.is_dialogue:
                today = timezone.localdate()
                if self.status == DialogStatus.UPCOMING:
                    notice = {"kind": "upcoming", "opens_on": self.opens_on, "closes_on": self.closes_on}
                else:
                    closed_on = self.closes_on if self.closes_on and self.closes_on < today else None
                    notice = {"kind": "closed", "closed_on": closed_on}

        contributions_page = page_range = None
        if self.show_contributions:
            published = public_contributions(get_contribution_model().objects.filter(dialog=self)).order_by(
                "-submitted_at", "-pk"
            )
            paginator = Paginator(published, dialog_setting("CONTRIBUTIONS_PER_PAGE"))
            # A dialog that never takes contributions gets no empty list.
            if paginator.count or (self.opens_on and self.level is not None and self.level.is_dialogue):
                contributions_page = paginator.get_page(request.GET.get("contributions_page"))
                page_range = list(paginator.get_elided_page_range(contributions_page.number, on_each_side=2))

        context.update(
            feedback_days_late=days_late(self, timezone.localdate()),
            contribution_form=contribution_form,
            contribution_notice=notice,
            contribution_refusal=contribution_refusal,
            refused_text=refused_text,
            contribution_receipt=contribution_receipt,
            contribution_contact=site_settings.contact if site_settings else "",
            privacy_notice=site_settings.privacy_notice if site_settings else "",
            contributions_page=contributions_page,
            contributions_page_range=page_range,
            # Linked from the receipt and the feedback, only when either is shown.
            survey_url=(
                self.survey_url(request)
                if self.survey_open and (contribution_receipt or self.feedback_given) else ""
            ),
        )
        return context

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
        if self.feedback_published_on and not self.participation_effect.strip():
            errors["participation_effect"] = _(
                "Feedback must say how the residents' participation affected the decision."
            )
        if self.slug in open_data.RESERVED_SLUGS:
            errors["slug"] = _("This address is taken by the dialog index's open data. Choose another slug.")
        if errors:
            raise ValidationError(errors)


class DialogScopeLimit(Orderable):
    """Something residents cannot change in this dialog, and why."""

    class Reason(models.TextChoices):
        LAW = "law", _("Law")
        BUDGET = "budget", _("Budget")
        PLAN = "plan", _("Overall plan")
        DECISION = "decision", _("Earlier decision")
        OTHER = "other", _("Other")

    page = ParentalKey(DialogPage, on_delete=models.CASCADE, related_name="scope_limits")
    fixed = models.CharField(_("what is fixed"), max_length=255)
    reason = models.CharField(_("because of"), max_length=20, choices=Reason.choices)
    explanation = models.TextField(_("explanation"), blank=True)

    panels = [FieldPanel("fixed"), FieldPanel("reason"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        verbose_name = _("scope limit")
        verbose_name_plural = _("scope limits")


class DialogTargetGroup(Orderable):
    """A group the dialog wants to reach, and how it will be reached."""

    page = ParentalKey(DialogPage, on_delete=models.CASCADE, related_name="target_groups")
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

    page = ParentalKey(DialogPage, on_delete=models.CASCADE, related_name="methods")
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
