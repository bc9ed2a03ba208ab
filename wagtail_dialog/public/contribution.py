"""A resident sends a contribution through the form on the dialog page: a
plain HTML form, no JavaScript needed.

Success redirects (POST-redirect-GET) to the receipt's own address below the
page, with the receipt in a short-lived signed cookie (see
``contributions.receipts``): reloading never sends twice, the reference number
never appears in a URL, and the dialog page itself stays the same for every
visitor, so a shared cache can keep it (``shared_cache``).
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings as django_settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions.forms import ContributionForm, dialog_site_settings, posted_data, shown
from wagtail_dialog.contributions.receipts import forget_receipt, give_receipt, take_receipt
from wagtail_dialog.contributions.submission import SubmissionRefused, submit_contribution
from wagtail_dialog.dialogs.legal_basis import asks_to_tick
from wagtail_dialog.shared_cache import cross_site
from wagtail_dialog.shared_cache.headers import for_everyone, never

#: <dialog>/receipt/: where sending leads.
RECEIPT_PATH = "receipt"


def serve(page, request):
    """The dialog page's own address: a GET shows it, the same for every
    anonymous visitor; a POST receives a contribution."""
    if getattr(request, "is_preview", False):
        return page.render(request)
    if request.method != "POST":
        return for_everyone(request, page.render(request))
    return never(receive(page, request))


def receipt(page, request):
    """The page with the receipt, once, after sending; without one (shown
    already, expired, another browser), the page itself."""
    found = take_receipt(request, page) if request.method == "GET" else None
    if found is None:
        return never(redirect(page.get_url(request)))
    return forget_receipt(page.render(request, contribution_receipt=found), request)


def receive(page, request):
    site_settings = dialog_site_settings(request, page)
    areas = site_settings.area_choices() if site_settings else ()
    form = ContributionForm(
        posted_data(request), dialog=page, areas=areas, asks_to_tick=asks_to_tick(page, site_settings)
    )
    status = 200
    refusal = None
    if not page.accepts_contributions:
        refusal, status = _("The dialogue is not open for contributions, so nothing was stored."), 403
    elif cross_site.refused(request):
        # Shown back in the form, with the fields' own errors, to send again from here.
        form.is_valid()
        form.add_error(None, _("Your contribution was not stored: the form seemed to come from another website. "
                               "Check it below and send it again from this page."))
        status = 403
    elif not form.is_valid():
        # Refused forms are not counted, but a client over the limit is
        # told so now rather than after mending the form.
        if ratelimit.is_limited(request, page):
            form.add_error(None, ratelimit.refusal_message())
            status = 429
    # A valid form is counted: over the limit, the count refuses it.
    elif not ratelimit.count(request, page):
        form.add_error(None, ratelimit.refusal_message())
        status = 429
    else:
        try:
            contribution = submit_contribution(
                page,
                consent=form.cleaned_data.get("consent", False),
                consent_notice_version=site_settings.privacy_notice_version if site_settings else "",
                language=translation.get_language() or django_settings.LANGUAGE_CODE,
                site_settings=site_settings,
                **form.contribution_data(),
            )
        except SubmissionRefused as refused:
            refusal, status = refused.message, 403
        else:
            # Below the page's own address, whatever form the post's address took;
            # decoded, like request.path (Wagtail gives Swedish letters percent-encoded).
            shown_at = unquote(urlsplit(page.get_url(request)).path).rstrip("/") + f"/{RECEIPT_PATH}/"
            return give_receipt(HttpResponseRedirect(f"{shown_at}#wd-receipt"), request, page, contribution, shown_at)
    if refusal is not None:
        text = form.data.get("text", "")
        response = page.render(request, contribution_refusal=refusal,
                               refused_text=shown(text) if isinstance(text, str) else "")
    else:
        response = page.render(request, contribution_form=form)
    response.status_code = status
    return response
