"""The vote page (omröstning, medborgarbudget): a way to take part at the top
step of the ladder, below a dialog page, with its options and its limits."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from wagtail_dialog.contributions import get_contribution_model, ideas
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.methods.base import MethodPage, MethodPageForm
from wagtail_dialog.methods.votes import views
from wagtail_dialog.methods.votes.kinds import Credential, Implementation, VoteMethod
from wagtail_dialog.shared_cache.cross_site import resident_form

#: VoteOption.ideas: reference numbers of eight characters, ", " between them.
IDEAS_MAX_LENGTH = 255


class VotePageForm(MethodPageForm):
    """The method's rules, options a budget can weigh (each with its cost), and, once ballots are
    cast, rules and options that stay as they were voted on."""

    #: What ballots were cast under: it cannot change once there are any.
    FIXED = ("method", "max_choices", "budget", "minimum_share", "credential")

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        if formset is None:
            return cleaned
        kept = [form for form in formset.forms if form.is_valid() and not (formset.can_delete and
                                                                             form.cleaned_data.get("DELETE"))]
        if cleaned.get("method") == VoteMethod.BUDGET:
            for form in kept:
                if form.cleaned_data.get("title") and form.cleaned_data.get("cost") in (None, ""):
                    form.add_error("cost", _("A budget vote needs each option's cost."))
        self._check_ideas(kept)
        vote = self.instance
        voted = vote.pk is not None and vote.ballots.exists()
        if not voted:
            return cleaned
        for name in self.FIXED:
            if name in self.changed_data:
                self.add_error(name, _("Ballots have been cast under this rule: it cannot change now."))
        with_votes = set(vote.options.filter(choices__isnull=False).values_list("pk", flat=True))
        for form in formset.forms:
            option = form.instance
            if option.pk not in with_votes:
                continue
            if formset.can_delete and form.cleaned_data.get("DELETE"):
                # On the page's form: a formset does not check the forms it is told to delete.
                self.add_error(None, _("“%(title)s” has votes: it cannot be removed.") % {"title": option.title})
            elif "cost" in form.changed_data:
                form.add_error("cost", _("This option has votes: its cost cannot change now."))
        return cleaned


    def _check_ideas(self, forms):
        """Each option's ideas are contributions to this vote's dialog."""
        wanted = {form: ideas.references(form.cleaned_data.get("ideas")) for form in forms}
        if not any(wanted.values()):
            return
        dialog = self.parent_page or self.instance.get_parent()
        known = set(get_contribution_model().objects.filter(
            dialog_id=dialog.pk, reference__in={ref for refs in wanted.values() for ref in refs},
        ).values_list("reference", flat=True))
        for form, refs in wanted.items():
            unknown = [ref for ref in refs if ref not in known]
            joined = ", ".join(refs)
            if unknown:
                form.add_error("ideas", ngettext(
                    "No idea in this dialogue has the reference number %(references)s.",
                    "No idea in this dialogue has the reference numbers %(references)s.",
                    len(unknown)) % {"references": ", ".join(unknown)})
            elif len(joined) > IDEAS_MAX_LENGTH:
                form.add_error("ideas", _("Name at most %(count)d ideas per option.") % {
                    "count": IDEAS_MAX_LENGTH // 10})
            else:
                form.cleaned_data["ideas"] = form.instance.ideas = joined


class VotePage(RoutablePageMixin, MethodPage):
    """A vote residents take part in, within limits the decision body has set."""

    intro = models.TextField(_("introduction"), blank=True, help_text=_("What the vote is about, in a few sentences."))
    method = models.CharField(_("how residents choose"), max_length=20, choices=VoteMethod.choices,
                              default=VoteMethod.ONE)
    max_choices = models.PositiveSmallIntegerField(_("most options per ballot"), null=True, blank=True,
                                                   help_text=_("When residents choose up to a number of options."))
    budget = models.PositiveBigIntegerField(_("budget, kronor"), null=True, blank=True,
                                            help_text=_("When residents share a budget."))
    minimum_share = models.PositiveSmallIntegerField(
        _("least share of the budget a ballot must use, per cent"), default=0,
        help_text=_("0: any total up to the budget. E.g. 50: a ballot must use at least half of it."))
    credential = models.CharField(_("one ballot per person"), max_length=20, choices=Credential.choices,
                                  default=Credential.CODE)
    live_count = models.BooleanField(
        _("show the count while the vote is open"), default=False,
        help_text=_("Only for a vote open to anyone; otherwise the count is shown when the vote has closed."))
    binding = models.TextField(
        _("what the result binds the decision body to"),
        help_text=_("The limits (givna ramar): e.g. “Kommunstyrelsen carries out the funded proposals within the "
                    "budget, unless they prove to break the law.”"))
    eligibility = models.TextField(
        _("who may vote"), help_text=_("Residents declare it themselves, e.g. “You live, work or study in the "
                                       "municipality.”"))
    minimum_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    count_final_at = models.DateTimeField(_("count final"), null=True, blank=True, editable=False)

    lowest_level = ParticipationLevel.CODETERMINATION
    method_name = "vote"
    is_creatable = True
    base_form_class = VotePageForm
    # A copy is a new vote: never closed for good by the original's final count.
    exclude_fields_in_copy = ["count_final_at"]
    template = "wagtail_dialog/methods/vote_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("method"), FieldRowPanel([FieldPanel("max_choices"), FieldPanel("budget"),
                                                              FieldPanel("minimum_share")])],
                        heading=_("How residents choose")),
        InlinePanel("options", heading=_("Options"), min_num=2),
        MultiFieldPanel([FieldPanel("binding"), FieldPanel("eligibility"), FieldPanel("minimum_age"),
                         FieldPanel("credential"), FieldPanel("live_count")], heading=_("Limits")),
        *MethodPage.date_panels[1:],
    ]

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    @classmethod
    def annotate_ways(cls, ways):
        # The dialog page follows what came of the options once decided: one query for every vote listed.
        followed = {}
        for option in VoteOption.objects.filter(page_id__in=[way.pk for way in ways]).exclude(
                implementation="").order_by("sort_order", "pk"):
            followed.setdefault(option.page_id, []).append(option)
        for way in ways:
            way.followed_options = followed.get(way.pk, [])

    @property
    def minimum_total(self):
        """The least a budget ballot must use, in whole kronor."""
        return math.ceil((self.budget or 0) * self.minimum_share / 100)

    @property
    def count_final(self):
        return self.count_final_at is not None

    @path("")
    def vote(self, request):
        return views.vote(self, request)

    @path(f"{views.BALLOT_PATH}/")
    @resident_form
    def ballot(self, request):
        """The ballot; a POST is a step: review, change or cast."""
        return views.ballot(self, request)

    @path(f"{views.CHECK_EMAIL_PATH}/")
    def check_email(self, request):
        return views.check_email(self, request)

    @path(f"{views.RECEIPT_PATH}/")
    @resident_form
    def receipt(self, request):
        return views.receipt(self, request)

    @path(f"{views.RECEIPTS_PATH}/")
    def receipts(self, request):
        return views.receipts(self, request)

    @path(f"{views.RESULTS_PATH}/")
    def results(self, request):
        return views.results(self, request)

    def serve_preview(self, request, mode_name):
        request.is_preview = True
        return views.vote(self, request)

    def get_cached_paths(self):
        return ["/", f"/{views.RECEIPTS_PATH}/", f"/{views.RESULTS_PATH}/", f"/{views.CHECK_EMAIL_PATH}/"]

    def clean(self):
        super().clean()
        errors = {}
        if self.method == VoteMethod.SEVERAL and not self.max_choices:
            errors["max_choices"] = _("Say how many options a ballot may hold.")
        if self.method == VoteMethod.BUDGET:
            if not self.budget:
                errors["budget"] = _("A budget vote needs the budget to share.")
            if self.credential == Credential.OPEN:
                errors["credential"] = _("A budget is never decided by a vote anyone can cast again from another "
                                         "browser: choose codes or email.")
        if self.minimum_share > 100:
            errors["minimum_share"] = _("A share is at most 100 per cent.")
        if self.live_count and self.credential != Credential.OPEN:
            errors["live_count"] = _("Only a vote open to anyone may show its count before it closes.")
        if errors:
            raise ValidationError(errors)


class VoteOption(Orderable):
    """One option on the ballot: a proposal, with its cost and place for a budget."""

    page = ParentalKey(VotePage, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    cost = models.PositiveBigIntegerField(_("cost, kronor"), null=True, blank=True,
                                          help_text=_("Needed when residents share a budget."))
    place = models.CharField(_("place"), max_length=200, blank=True)
    ideas = models.CharField(
        _("residents' ideas it came from"), max_length=IDEAS_MAX_LENGTH, blank=True,
        help_text=_("The ideas' reference numbers, separated by commas. The option links to them on the dialogue's "
                    "page."))
    implementation = models.CharField(
        _("after the vote"), max_length=20, choices=Implementation.choices, blank=True,
        help_text=_("Where the option stands once decided, for residents to follow on the dialogue's page."))
    not_carried_out_reason = models.TextField(
        _("why it is not carried out"), blank=True,
        help_text=_("Public, shown beside the option. Needed when it is not carried out."))

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("image"),
              FieldRowPanel([FieldPanel("cost"), FieldPanel("place")]), FieldPanel("ideas"),
              FieldRowPanel([FieldPanel("implementation"), FieldPanel("not_carried_out_reason")])]

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.implementation == Implementation.NOT_CARRIED_OUT and not self.not_carried_out_reason.strip():
            raise ValidationError({"not_carried_out_reason": _(
                "Say publicly why it is not carried out: residents voted for it.")})
        if self.implementation != Implementation.NOT_CARRIED_OUT:
            self.not_carried_out_reason = ""
