"""Reports → Votes: the votes a user manages (those below the dialogs they
moderate: who may publish the dialog, and the "Dialog moderators" group), each
with its ballots counted per channel, its batches of one-time codes (made and
printed as a sheet in one step, voided by batch), paper ballots typed in, and
the final count.

Nothing here shows or joins a ballot to anything: staff see counts, never
ballots (docs/privacy.md, "Votes")."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_dialog.admin import method_access
from wagtail_dialog.admin.inbox import contribution_url, inbox_url
from wagtail_dialog.contributions.forms import PlainTextField, posted_data
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.dialogs.language import content_language
from wagtail_dialog.dialogs.pages import DialogPage
from wagtail_dialog.methods.votes import ballots, codes, ideas, sheets, tally
from wagtail_dialog.methods.votes.forms import BallotForm
from wagtail_dialog.methods.votes.kinds import Credential, Proof
from wagtail_dialog.methods.votes.pages import VotePage
from wagtail_dialog.methods.votes.phases import state
from wagtail_dialog.methods.votes.views import BALLOT_PATH, RECEIPTS_PATH, RESULTS_PATH
from wagtail_dialog.shared_cache import purge


def managed_votes(user):
    """The votes below the dialogs ``user`` moderates."""
    return method_access.managed(VotePage, user)


can_manage = method_access.can_manage


def vote_url(vote, name="wagtail_dialog_vote"):
    return reverse(name, args=[vote.pk])


VotesMenuItem = method_access.MethodsMenuItem


def menu_item():
    return VotesMenuItem(_("Votes"), reverse("wagtail_dialog_votes"), name="dialog-votes", icon_name="tasks",
                         order=655)


def count_changed(vote, request):
    """What residents see of the count changed (a paper ballot, the final count): purge the vote's
    results and receipt codes where a shared cache keeps them."""
    if purge.enabled():
        base = vote.get_full_url(request).rstrip("/")
        purge.purge_dialogs((), urls=[f"{base}/{path}/" for path in (RESULTS_PATH, RECEIPTS_PATH)])


def vote_buttons(page, user, view_name=None, next_url=None):
    """"Ballots and codes" in a vote page's actions, for those who manage it."""
    from wagtail.admin.widgets import Button

    if page.specific_class is not VotePage or not can_manage(user, page.specific_deferred):
        return
    yield Button(_("Ballots and codes"), vote_url(page), icon_name="tasks", priority=80)


class VoteIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "wagtail_dialog/admin/votes/index.html"
    page_title = _("Votes")
    header_icon = "tasks"
    breadcrumbs_items = []

    def dispatch(self, request, *args, **kwargs):
        if not VotesMenuItem("", "").is_shown(request):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        votes = list(managed_votes(self.request.user).annotate(ballot_count=Count("ballots")).order_by("-pk"))
        parents = {dialog.path: dialog for dialog in DialogPage.objects.filter(
            path__in={vote.path[: -VotePage.steplen] for vote in votes}).only("title", "path")}
        for vote in votes:
            vote.parent_dialog = parents.get(vote.path[: -VotePage.steplen])
            vote.state = state(vote, dialog=vote.parent_dialog)
        context["votes"] = votes
        return context


class BatchForm(forms.Form):
    label = PlainTextField(label=_("Where they are handed out"), max_length=200,
                           help_text=_("E.g. “Stadsbiblioteket” or “Posted to households in Hemsjö”. Printed small "
                                       "on each card, never linked to a ballot."))
    size = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=codes.MAX_BATCH, initial=100)


class VoteMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.vote = get_object_or_404(VotePage, pk=kwargs["vote_id"])
        if not can_manage(request.user, self.vote):
            return permission_denied(request)
        self.dialog = self.vote.dialog
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.vote.title

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtail_dialog_votes"), "label": gettext("Votes")},
            {"url": vote_url(self.vote), "label": self.vote.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def back(self, anchor=""):
        return HttpResponseRedirect(vote_url(self.vote) + anchor)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(vote=self.vote, dialog=self.dialog, vote_url=vote_url(self.vote), state=state(self.vote))
        return context


class VoteView(VoteMixin, TemplateView):
    template_name = "wagtail_dialog/admin/votes/vote.html"
    page_title = _("Ballots and codes")

    def get_context_data(self, batch_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        count = tally.count(self.vote)
        context.update(
            count=count,
            channels=[(Channel(channel).label, n) for channel, n in sorted(count.ballots_by_channel.items())],
            batches=list(self.vote.code_batches.annotate(working=Count("codes")).order_by("created_at", "pk")),
            batch_form=batch_form or BatchForm(),
            uses_codes=self.vote.credential == Credential.CODE,
            page_url=self.vote.get_url(self.request) if self.vote.live else "",
        )
        return context


class MakeCodesView(VoteMixin, TemplateView):
    """Make a batch and answer with its sheet: the plain codes exist only in this response."""

    template_name = "wagtail_dialog/admin/votes/vote.html"
    page_title = _("Ballots and codes")

    def get(self, request, *args, **kwargs):
        return self.back()

    def post(self, request, *args, **kwargs):
        form = BatchForm(posted_data(request))
        if self.vote.count_final:
            messages.error(request, gettext("The count is final: no new codes."))
            return self.back()
        if not form.is_valid():
            view = VoteView(request=request, kwargs=kwargs, args=args)
            view.vote, view.dialog = self.vote, self.dialog
            return view.render_to_response(view.get_context_data(batch_form=form), status=400)
        ballot_url = f"{self.vote.get_full_url(request).rstrip('/')}/{BALLOT_PATH}/"
        # The codes and their sheet together: if the sheet cannot be made (or the request is cut off),
        # no codes are left working that no one holds.
        with transaction.atomic():
            batch, plain = codes.make_batch(self.vote, form.cleaned_data["label"], form.cleaned_data["size"],
                                            user=request.user)
            with translation.override(content_language(self.vote)):
                pdf = sheets.code_sheet(self.vote, batch, plain, ballot_url, closes_on=self.vote.dates()[1])
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(f"{self.vote.slug}-{batch.label}")[:80] or "codes"
        response["Content-Disposition"] = f'attachment; filename="{name}-{batch.pk}.pdf"'
        response["Cache-Control"] = "no-store"
        return response


class VoidBatchView(VoteMixin, TemplateView):
    template_name = "wagtail_dialog/admin/votes/vote.html"

    def get(self, request, *args, **kwargs):
        return self.back()

    def post(self, request, *args, **kwargs):
        batch = get_object_or_404(codes.CodeBatch, pk=kwargs["batch_id"], vote=self.vote)
        codes.void(batch)
        messages.success(request, gettext("The codes of “%(label)s” no longer work. Ballots already cast with "
                                          "them still count.") % {"label": batch.label})
        return self.back("#wd-codes")


class PaperBallotView(VoteMixin, TemplateView):
    """Staff type in a ballot cast on paper at a staffed table: the same rules, the channel "paper"."""

    template_name = "wagtail_dialog/admin/votes/paper.html"
    page_title = _("Type in paper ballots")

    def form(self, data=None):
        return BallotForm(data, vote=self.vote, options=list(self.vote.options.all()), seed=None, staff=True)

    def open(self):
        # Ballots cast while the vote was open are counted after it closes, until the count is final.
        return not self.vote.count_final and state(self.vote) in ("open", "closed")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=form or self.form(), open=self.open(),
                       paper=tally.count(self.vote).ballots_by_channel.get(Channel.PAPER, 0))
        return context

    def post(self, request, *args, **kwargs):
        request.sensitive_post_parameters = ["code", "options"]
        form = self.form(posted_data(request))
        if not self.open():
            return self.render_to_response(self.get_context_data(form=form), status=403)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        code = form.cleaned_data.get("code")
        credential = ballots.secrecy.code_credential(code) if code else None
        with ballots.count_open(self.vote) as still_open:
            if not still_open:
                self.vote.refresh_from_db(fields=["count_final_at"])
                return self.render_to_response(self.get_context_data(form=form), status=403)
            ballots.cast(self.vote, form.checked.options, credential=credential, channel=Channel.PAPER,
                         proof=Proof.CODE if code else Proof.IN_PERSON)
        count_changed(self.vote, request)
        messages.success(request, gettext("The paper ballot is counted. Type in the next one."))
        return HttpResponseRedirect(reverse("wagtail_dialog_vote_paper", args=[self.vote.pk]))


class IdeasView(VoteMixin, TemplateView):
    """A participatory budget's feasible ideas, to add as options to a draft of the vote."""

    template_name = "wagtail_dialog/admin/votes/ideas.html"
    page_title = _("Options from residents' ideas")

    def get(self, request, *args, **kwargs):
        if not self.vote.dialog.collects_ideas:
            raise Http404
        return super().get(request, *args, **kwargs)

    def refusal(self):
        """Why the user may not add options to a draft of the vote now, or None."""
        if not self.vote.permissions_for_user(self.request.user).can_edit():
            return gettext("Only those who may edit the vote's page add options to it.")
        lock = self.vote.get_lock()
        if lock is not None and lock.for_user(self.request.user):
            return gettext("The vote's page is locked: options cannot be added now.")
        if self.vote.ballots.exists():
            return gettext("Ballots have been cast: the options can no longer change.")
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        taken = ideas.references_in(self.vote.get_latest_revision_as_object())
        elsewhere = ideas.options_elsewhere(self.vote)
        feasible = list(ideas.feasible_ideas(self.dialog.pk))
        for idea in feasible:
            idea.is_option, idea.inbox_url = idea.reference in taken, contribution_url(idea)
            idea.option_elsewhere = elsewhere.get(idea.reference)
        context.update(ideas=feasible, refusal=self.refusal(),
                       unassessed=ideas.unassessed_ideas(self.dialog.pk).count(),
                       inbox_url=f"{inbox_url()}?{urlencode({'dialog': self.dialog.pk})}")
        return context

    def post(self, request, *args, **kwargs):
        if not self.vote.dialog.collects_ideas:
            raise Http404
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(request.path)
        chosen = set(request.POST.getlist("idea"))
        picked = [idea for idea in ideas.feasible_ideas(self.dialog.pk) if str(idea.pk) in chosen]
        if not picked:
            messages.error(request, gettext("Choose at least one idea."))
            return HttpResponseRedirect(request.path)
        added = ideas.add_options(self.vote, picked, request.user)
        if not added:
            messages.info(request, gettext("The chosen ideas are options already."))
            return HttpResponseRedirect(request.path)
        messages.success(request, ngettext(
            "%(count)d option was added to a draft of the vote. Shorten its title if needed, then publish.",
            "%(count)d options were added to a draft of the vote. Shorten their titles if needed, then publish.",
            added) % {"count": added})
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[self.vote.pk]))


class FinalCountView(VoteMixin, TemplateView):
    template_name = "wagtail_dialog/admin/votes/vote.html"

    def get(self, request, *args, **kwargs):
        return self.back()

    def post(self, request, *args, **kwargs):
        if state(self.vote) != "closed" or self.vote.count_final:
            messages.error(request, gettext("The count can be made final only after the vote has closed."))
            return self.back()
        ballots.finish_count(self.vote)
        count_changed(self.vote, request)
        total = tally.count(self.vote).ballots
        messages.success(request, ngettext(
            "The count is final: %(count)d ballot. No ballot can be changed or found again.",
            "The count is final: %(count)d ballots. No ballot can be changed or found again.", total)
            % {"count": total})
        return self.back()


VOTE = "dialog-votes/<row_id:vote_id>/"

urlpatterns = [
    path("dialog-votes/", VoteIndexView.as_view(), name="wagtail_dialog_votes"),
    path(VOTE, VoteView.as_view(), name="wagtail_dialog_vote"),
    path(VOTE + "codes/", MakeCodesView.as_view(), name="wagtail_dialog_vote_codes"),
    path(VOTE + "codes/<row_id:batch_id>/void/", VoidBatchView.as_view(), name="wagtail_dialog_vote_void"),
    path(VOTE + "paper/", PaperBallotView.as_view(), name="wagtail_dialog_vote_paper"),
    path(VOTE + "final/", FinalCountView.as_view(), name="wagtail_dialog_vote_final"),
    path(VOTE + "ideas/", IdeasView.as_view(), name="wagtail_dialog_vote_ideas"),
]
