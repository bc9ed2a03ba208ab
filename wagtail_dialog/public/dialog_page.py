"""What the dialog page shows besides its own fields: the ladder and the gate
answers, the contribution form or why there is none, the published
contributions, the receipt after sending, and late feedback."""

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils import timezone

from wagtail_dialog.conf import dialog_setting
from wagtail_dialog.contributions import get_contribution_model
from wagtail_dialog.contributions.forms import ContributionForm, dialog_site_settings
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.dialogs.gate import gate_answers
from wagtail_dialog.dialogs.legal_basis import asks_to_tick
from wagtail_dialog.dialogs.levels import ladder_steps
from wagtail_dialog.dialogs.status import DialogStatus
from wagtail_dialog.dialogs.timeline import milestones, today_position
from wagtail_dialog.followup.feedback import days_late
from wagtail_dialog.privacy.notice import notice_for
from wagtail_dialog.public import fragments
from wagtail_dialog.public.contribution_link import mark_found
from wagtail_dialog.shared_cache.cross_site import token_needed

#: What a view may hand the page to show (``page.render(request, **shown)``).
SHOWN = ("contribution_form", "contribution_refusal", "refused_text", "contribution_receipt")

#: A contribution's fields the public list never reads.
NOT_PUBLIC = (
    "email", "notify", "moderator_note", "message_to_author", "moderation_reason", "language",
    "consent_notice_version", "search_terms", "moderator_search_terms",
)


def add_context(page, request, context, *, contribution_form=None, contribution_refusal=None, refused_text="",
                contribution_receipt=None):
    questions = gate_answers(page)
    today = timezone.localdate()
    steps = milestones(page, today)
    context.update(
        timeline=steps,
        timeline_today=today_position(steps, today),
        today=today,
        ladder_steps=ladder_steps(page.participation_level),
        gate_questions=questions,
        gate_answered=any(question["answer"] for question in questions),
    )

    site_settings = dialog_site_settings(request, page)

    notice = None
    if page.accepts_contributions and contribution_refusal is None:
        if contribution_form is None:
            areas = site_settings.area_choices() if site_settings else ()
            contribution_form = ContributionForm(dialog=page, areas=areas, asks_to_tick=asks_to_tick(page, site_settings))
    else:
        contribution_form = None
        level = page.level
        # A page taking views some other way says so instead (includes/other_ways.html).
        if page.opens_on and level is not None and level.is_dialogue and not page.takes_views_elsewhere:
            if page.status == DialogStatus.UPCOMING:
                notice = {"kind": "upcoming", "opens_on": page.opens_on, "closes_on": page.closes_on}
            else:
                closed_on = page.closes_on if page.closes_on and page.closes_on < today else None
                notice = {"kind": "closed", "closed_on": closed_on}

    # What the form and the receipt say about personal data (GDPR article 13).
    privacy = notice_for(page, site_settings) if contribution_form or contribution_receipt else None

    facts_key = fragments.page_key(page, request)
    # The lists are read for the templates only where they will render them: a preview, or a
    # key not in the cache yet. The page asks whether there are tags, then shows each: one
    # query, not two. (A preview's tags and lists are in memory, not in the database.)
    if page.pk is not None and (facts_key is None or fragments.missing(facts_key)):
        if not page.tagged_items.is_deferring:
            prefetch_related_objects([page], "tags")
        if facts_key is not None:
            prefetch_related_objects([page], *fragments.LISTS)

    contributions_page = page_range = list_key = None
    if page.show_contributions:
        published = (
            public_contributions(get_contribution_model().objects.filter(dialog=page))
            .order_by("-submitted_at", "-pk")
            # Personal data and the moderators' fields never leave the database
            # for a public page; the search terms are the longest column.
            .defer(*NOT_PUBLIC)
        )
        paginator = Paginator(published, dialog_setting("CONTRIBUTIONS_PER_PAGE"))
        # A dialog that never takes contributions gets no empty list.
        if paginator.count or (page.opens_on and page.level is not None and page.level.is_dialogue):
            contributions_page = paginator.get_page(request.GET.get("contributions_page"))
            page_range = list(paginator.get_elided_page_range(contributions_page.number, on_each_side=2))
            mark_found(contributions_page.object_list, request)
            list_key = fragments.contributions_key(page, contributions_page, page_range)

    context.update(
        feedback_days_late=days_late(page, today),
        contribution_form=contribution_form,
        # Without the token, the page is the same for everyone (shared_cache.cross_site).
        contribution_form_token=bool(contribution_form) and token_needed(),
        contribution_notice=notice,
        contribution_refusal=contribution_refusal,
        refused_text=refused_text,
        contribution_receipt=contribution_receipt,
        contribution_contact=site_settings.contact if site_settings else "",
        privacy_notice=privacy,
        contributions_page=contributions_page,
        contributions_page_range=page_range,
        # Cache keys of the parts that are the same for every visitor (public.fragments).
        fragment_timeout=fragments.TIMEOUT,
        facts_key=facts_key,
        contributions_key=list_key,
        form_key=fragments.form_key(page, contribution_form, privacy.key() if privacy else ()),
        # Linked from the receipt and the feedback, only when either is shown.
        survey_url=(
            page.survey_url(request)
            if page.survey_open and (contribution_receipt or page.feedback_given) else ""
        ),
    )
    return context
