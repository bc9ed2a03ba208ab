"""A resident sends a contribution through the form on the dialog page: a
plain HTML form, no JavaScript needed.

Success redirects back to the page (POST-redirect-GET) with the receipt in a
short-lived signed cookie (see ``contributions.receipts``), so reloading never
sends twice and the reference number never appears in a URL.
"""

from django.conf import settings as django_settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions.forms import ContributionForm, dialog_site_settings, posted_data, shown
from wagtail_dialog.contributions.receipts import forget_receipt, give_receipt, take_receipt
from wagtail_dialog.contributions.submission import SubmissionRefused, submit_contribution
from wagtail_dialog.dialogs.legal_basis import asks_to_tick


def serve(page, request):
    """The dialog page's own address: a GET shows it (with the receipt, once,
    after sending), a POST receives a contribution."""
    if getattr(request, "is_preview", False):
        return page.render(request)
    if request.method != "POST":
        receipt = take_receipt(request, page) if request.method == "GET" else None
        if receipt is None:
            return page.render(request)
        return forget_receipt(page.render(request, contribution_receipt=receipt), request)
    return receive(page, request)


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
            # Back to where the form was sent: this page's own address.
            redirect = HttpResponseRedirect(request.path + "#wd-receipt")
            return give_receipt(redirect, request, page, contribution)
    if refusal is not None:
        text = form.data.get("text", "")
        response = page.render(request, contribution_refusal=refusal,
                               refused_text=shown(text) if isinstance(text, str) else "")
    else:
        response = page.render(request, contribution_form=form)
    response.status_code = status
    return response
