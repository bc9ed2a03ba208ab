"""What a vote page does with a resident's request: shows the vote and its
limits (the same for everyone, kept by a shared cache), the ballot with the
options in the visitor's own order, the review ("Granska din röst") and the
cast, a receipt and its check, the published receipt codes, and the results
once the vote has closed. Plain HTML, no JavaScript needed; with it, a
budget's total follows each pick.

The ballot and everything after it are never cached: the order of the options
is each visitor's own. The steps carry what was chosen in the form itself
(no session, no cookie), and the server checks the whole ballot again at
every step.
"""

import logging
import secrets
from urllib.parse import unquote, urlencode, urlsplit

from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.encoding import escape_uri_path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import exports as spreadsheets
from wagtail_dialog.contributions import get_contribution_model, ideas, ratelimit
from wagtail_dialog.contributions.forms import posted_data
from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.contributions.notifications import send_email, site_context
from wagtail_dialog.contributions.permissions import public_contributions
from wagtail_dialog.followup.charts import whole_percentages
from wagtail_dialog.methods.votes import ballots, email_links, open_data, secrecy, tally
from wagtail_dialog.methods.votes.forms import BallotForm, LinkForm, order_seed
from wagtail_dialog.methods.votes.kinds import Credential, Proof
from wagtail_dialog.methods.votes.phases import results_shown, state
from wagtail_dialog.shared_cache import cross_site
from wagtail_dialog.shared_cache.headers import for_everyone, never

logger = logging.getLogger(__name__)

#: <vote>/ballot/: the ballot and its steps; <vote>/receipt/: a receipt and its check;
#: <vote>/receipts/: the published receipt codes; <vote>/results/: the count.
BALLOT_PATH = "ballot"
RECEIPT_PATH = "receipt"
RECEIPTS_PATH = "receipts"
RESULTS_PATH = "results"
#: <vote>/check-email/: after asking for the link to the ballot (<vote>/ballot/?t=…).
CHECK_EMAIL_PATH = "check-email"
#: The receipt, from the cast to the receipt's page: never in a URL.
RECEIPT_COOKIE = "wagtail_dialog_vote_receipt"
RECEIPT_COOKIE_AGE = 600
RECEIPT_SALT = "wagtail_dialog.methods.votes.receipt"
#: Wrong codes are counted per client (guessing codes), and ballots of a vote open to anyone.
CODE_SCOPE = "vote-code"
OPEN_SCOPE = "vote-open"
EMAIL_SCOPE = "vote-email"
#: The count they are limited to (WAGTAIL_DIALOG_VOTE_RATE_LIMIT): a class or a library shares one address.
RATE_SETTING = "VOTE_RATE_LIMIT"
#: Once per browser: a random token, sent back only to the ballot's address.
BROWSER_COOKIE = "wagtail_dialog_ballot"
RECEIPTS_PER_PAGE = 2000


def _below(page, request):
    return unquote(urlsplit(page.get_url(request)).path).rstrip("/")


def _context(page, request, **extra):
    dialog = page.dialog
    return {**page.get_context(request), "dialog": dialog, "state": state(page), "dates": page.dates(dialog),
            "results_shown": results_shown(page), **extra}


def _link_ideas(page, request, options):
    """Each option's ``idea_links``: (reference, address) of the published ideas it came from."""
    wanted = {option: ideas.references(option.ideas) for option in options}
    published = set()
    dialog = page.dialog
    # Where the dialog does not show its contributions, there is nothing to link to.
    if any(wanted.values()) and dialog.show_contributions:
        published = set(public_contributions(get_contribution_model().objects.filter(
            dialog_id=dialog.pk, reference__in={ref for refs in wanted.values() for ref in refs},
        )).values_list("reference", flat=True))
    base = (dialog.get_url(request) or "").rstrip("/") + "/"
    for option, refs in wanted.items():
        option.idea_links = [(ref, base + dialog.reverse_subpage("contribution_link", args=[ref]))
                             for ref in refs if ref in published]


def vote(page, request):
    """The vote: what it decides and within which limits, how one ballot per person is kept, the options."""
    options = list(page.options.select_related("image").order_by("sort_order", "pk"))
    _link_ideas(page, request, options)
    response = TemplateResponse(request, page.get_template(request), _context(page, request, options=options))
    return never(response) if getattr(request, "is_preview", False) else for_everyone(request, response)


def _render_ballot(page, request, form, *, status=200, template="vote_ballot.html", **extra):
    context = _context(page, request, form=form, form_token=cross_site.token_needed(),
                       total=form.total(), chosen=form.chosen_ids(), **extra)
    return never(TemplateResponse(request, f"wagtail_dialog/methods/{template}", context, status=status))


def ballot(page, request):
    """The ballot: GET shows it; a POST reviews it ("review"), goes back to change it ("edit") or
    casts it ("cast"). Each POST checks the whole ballot again."""
    # What the ballot shows and checks of each option: not the images of the vote's page.
    options = list(page.options.only("pk", "page_id", "sort_order", "title", "description", "cost", "place"))
    if state(page, dialog=page.dialog_limits()) != "open":
        return never(TemplateResponse(request, "wagtail_dialog/methods/vote_ballot.html",
                                      _context(page, request, form=None), status=403))
    emailed = page.credential == Credential.EMAIL
    if request.method != "POST":
        if emailed and not request.GET.get("t"):
            return _render_link_form(page, request, LinkForm())
        seed = order_seed()
        form = BallotForm(vote=page, options=options, seed=seed,
                          initial={"code": request.GET.get("code", "")[:40], "order": seed,
                                   "link": request.GET.get("t", "")[:500]})
        found = email_links.read(page, form.initial["link"]) if emailed else None
        if isinstance(found, str):  # expired, used or broken: ask for a new link
            return _render_link_form(page, request, LinkForm(), status=404 if found == "invalid" else 410,
                                     link_problem=found)
        return _render_ballot(page, request, form)
    data = posted_data(request)
    request.sensitive_post_parameters = ["code", "link", "email", "options"]
    if emailed and data.get("action") == "link":
        return _ask_for_link(page, request, LinkForm(data))
    seed = order_seed(data.get("order"))
    limited = page.credential == Credential.CODE and ratelimit.is_limited(request, page, scope=CODE_SCOPE,
                                                                          setting=RATE_SETTING)
    form = BallotForm(data, vote=page, options=options, seed=seed, code_limited=limited)
    action = data.get("action")
    if action == "edit":
        return _render_ballot(page, request, form)  # bound, not checked: what was chosen, to change
    refused = cross_site.refused(request)
    valid = form.is_valid()
    if form.code_state in ("unknown", "voided"):  # a wrong code counts against guessing, however it came
        ratelimit.count(request, page, scope=CODE_SCOPE, setting=RATE_SETTING)
    if refused:
        form.add_error(None, _("Your ballot is not cast: the form seemed to come from another website. Check it "
                               "below and send it again from this page."))
        return _render_ballot(page, request, form, status=403)
    if not valid:
        return _render_ballot(page, request, form, status=400)
    if action != "cast":
        return _render_ballot(page, request, form, template="vote_review.html", checked=form.checked)
    return _cast(page, request, form)


def _render_link_form(page, request, form, status=200, **extra):
    context = _context(page, request, link_form=form, form_token=cross_site.token_needed(),
                       hours=email_links.LINK_HOURS, **extra)
    return never(TemplateResponse(request, "wagtail_dialog/methods/vote_email.html", context, status=status))


def _ask_for_link(page, request, form):
    """With email, the first step: the link to the ballot, sent to the address (used for this email only).
    The email holds no choice: the resident chooses after opening the link."""
    if cross_site.refused(request):
        form.is_valid()
        form.add_error(None, _("Nothing was sent: the form seemed to come from another website. Send it again "
                               "from this page."))
        return _render_link_form(page, request, form, status=403)
    if not form.is_valid():
        return _render_link_form(page, request, form, status=400)
    if not ratelimit.count(request, page, scope=EMAIL_SCOPE, setting=RATE_SETTING):
        form.add_error(None, ratelimit.refusal_message())
        return _render_link_form(page, request, form, status=429)
    token = email_links.link_token(page, form.cleaned_data["email"])
    link = request.build_absolute_uri(f"{_below(page, request)}/{BALLOT_PATH}/?{urlencode({'t': token})}")
    dialog = page.dialog
    context = {**site_context(dialog, request), "dialog": dialog, "vote": page, "link": link,
               "hours": email_links.LINK_HOURS}
    try:
        send_email(_("Your link to vote in “%(title)s”") % {"title": page.title}, "vote_link", context,
                   [form.cleaned_data["email"]])
    except Exception:  # the address stays out of the log: only that it failed
        logger.warning("A vote's email link could not be sent (vote %s)", page.pk)
        form.add_error(None, _("We could not send the email with the link just now. Try again in a while."))
        return _render_link_form(page, request, form, status=503)
    return never(HttpResponseRedirect(f"{_below(page, request)}/{CHECK_EMAIL_PATH}/#wd-receipt"))


def _cast(page, request, form):
    token = None
    if page.credential == Credential.EMAIL:
        credential, number = form.link
        try:
            with transaction.atomic():
                receipt = ballots.cast(page, form.checked.options, credential=credential, channel=Channel.WEB,
                                       proof=Proof.EMAIL) if email_links.spend(page, number) else None
        except ballots.BallotRefused:
            receipt = None
        if receipt is None:
            form.add_error(None, _("This link has already cast its ballot. To change your ballot, ask for a new "
                                   "link: the last ballot counts."))
            return _render_ballot(page, request, form, status=410)
        return _to_receipt(page, request, receipt)
    if page.credential == Credential.CODE:
        credential, proof = secrecy.code_credential(form.cleaned_data["code"]), Proof.CODE
    else:
        if not ratelimit.count(request, page, scope=OPEN_SCOPE, setting=RATE_SETTING):
            form.add_error(None, ratelimit.refusal_message())
            return _render_ballot(page, request, form, status=429)
        token = request.COOKIES.get(BROWSER_COOKIE, "")
        if not (token.isalnum() and 20 <= len(token) <= 64):
            token = secrets.token_hex(16)
        credential, proof = secrecy.browser_credential(token), Proof.OPEN
    try:
        receipt = ballots.cast(page, form.checked.options, credential=credential, channel=Channel.WEB, proof=proof)
    except ballots.BallotRefused:
        return never(TemplateResponse(request, "wagtail_dialog/methods/vote_ballot.html",
                                      _context(page, request, form=None), status=403))
    response = _to_receipt(page, request, receipt)
    if token is not None:
        # Only the ballot's own address gets it back: the vote's page stays the same for everyone.
        response.set_cookie(BROWSER_COOKIE, token, max_age=400 * 24 * 60 * 60,
                            path=escape_uri_path(f"{_below(page, request)}/{BALLOT_PATH}/"), httponly=True,
                            samesite="Lax", secure=request.is_secure())
    return response


def _to_receipt(page, request, receipt):
    """To the receipt, which travels in a short-lived signed cookie for the receipt's own address: the
    receipt code (which the published list pairs with a ballot) is never in a URL or a server's log."""
    path = f"{_below(page, request)}/{RECEIPT_PATH}/"
    response = never(HttpResponseRedirect(f"{path}#wd-receipt"))
    response.set_cookie(RECEIPT_COOKIE, signing.dumps({"v": page.pk, "r": receipt}, salt=RECEIPT_SALT),
                        max_age=RECEIPT_COOKIE_AGE, path=escape_uri_path(path), httponly=True, samesite="Lax",
                        secure=request.is_secure())
    return response


def check_email(page, request):
    """After asking for the link: check your email (the same for everyone)."""
    context = _context(page, request, hours=email_links.LINK_HOURS)
    return for_everyone(request, TemplateResponse(request, "wagtail_dialog/methods/vote_check_email.html", context))


def _cast_receipt(page, request):
    try:
        found = signing.loads(request.COOKIES.get(RECEIPT_COOKIE, ""), salt=RECEIPT_SALT, max_age=RECEIPT_COOKIE_AGE)
    except signing.BadSignature:
        return None
    return found.get("r") if isinstance(found, dict) and found.get("v") == page.pk else None


def receipt(page, request):
    """After casting, the receipt itself (from its cookie, once); else a form to check a receipt code,
    posted so that the code stays out of the server's log."""
    just_cast = _cast_receipt(page, request) if request.method == "GET" else None
    code, refused = just_cast or "", False
    if request.method == "POST":
        if cross_site.refused(request):
            refused = True
        else:
            code = secrecy.normalised_code(posted_data(request).get("receipt", ""))[:ballots.RECEIPT_LENGTH]
    counted = bool(code) and ballots.is_counted(page, code)
    context = _context(page, request, receipt=code, counted=counted, just_cast=bool(just_cast), refused=refused,
                       form_token=cross_site.token_needed())
    status = 403 if refused else 200 if counted or not code else 404
    response = never(TemplateResponse(request, "wagtail_dialog/methods/vote_receipt.html", context, status=status))
    if just_cast:
        response.delete_cookie(RECEIPT_COOKIE, path=escape_uri_path(request.path))
    return response


def receipts(page, request):
    """The receipt codes of every ballot counted, in order: never what they chose."""
    paginator = Paginator(ballots.receipts(page), RECEIPTS_PER_PAGE)
    listing = paginator.get_page(request.GET.get("page"))
    context = _context(page, request, receipts=listing, paginator=paginator)
    return for_everyone(request, TemplateResponse(request, "wagtail_dialog/methods/vote_receipts.html", context))


def results(page, request):
    """The count, once it may be shown."""
    if not results_shown(page):
        return for_everyone(request, TemplateResponse(request, "wagtail_dialog/methods/vote_results.html",
                                                      _context(page, request, count=None), status=404))
    count = tally.count(page, page.options.order_by("sort_order", "pk"))
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        header, table = tally.table(page, count)
        filename = f"{slugify(page.slug) or 'vote'}-results.{wanted}"
        response = (spreadsheets.table_csv_response(header, table, filename) if wanted == "csv"
                    else spreadsheets.table_xlsx_response(header, table, filename, page.title))
        return for_everyone(request, response)
    if wanted == "json":
        data = {"title": page.title, "url": page.get_full_url(request), **open_data.vote_data(page)}
        return for_everyone(request, JsonResponse(data, json_dumps_params={"ensure_ascii": False}))
    present = [channel for channel in ballots.BALLOT_CHANNELS if channel in count.ballots_by_channel]
    ranked = tally.ranked(count)
    shares = whole_percentages([result.votes for result in ranked], count.ballots) if count.ballots else []
    rows = [{"result": result, "share": shares[n] if shares else 0,
             "channels": [result.by_channel.get(channel, 0) for channel in present]}
            for n, result in enumerate(ranked)]
    turnout = round(100 * count.code_ballots / count.codes_issued) if count.codes_issued else None
    context = _context(page, request, count=count, rule=tally.BUDGET_RULE, chart=tally.chart(page, count), rows=rows,
                       channels=[(Channel(channel).label, count.ballots_by_channel[channel]) for channel in present],
                       turnout=turnout)
    return for_everyone(request, TemplateResponse(request, "wagtail_dialog/methods/vote_results.html", context))
