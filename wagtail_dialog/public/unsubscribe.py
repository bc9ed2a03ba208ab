"""The link in every email to an author: a GET asks (mail scanners follow
links); a POST stops the emails about one contribution, or stops showing the
author's name with it. A broken link says so."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from wagtail_dialog.contributions import name_shown, notifications

#: <dialog>/unsubscribe/<token>/ (built by ``notifications.unsubscribe_url``).
UNSUBSCRIBE_PATH = "unsubscribe"


def _email_state(contribution):
    if contribution.notify:
        return "confirm"
    # Stopped: the address is gone, or kept in the record where gallring needs a decision not named.
    return "stopped" if contribution.email else "done"


def serve(page, request, token):
    contribution = notifications.contribution_for_unsubscribe(token, page)
    status = 200
    context = {"page": page, "self": page}
    if contribution is None:
        context["state"], status = "invalid", 404
    else:
        if request.method == "POST":
            if request.POST.get("action") == "hide_name":
                name_shown.hide_name(contribution)
                context["name_just_hidden"] = True
            elif contribution.notify:
                notifications.unsubscribe(contribution)
                contribution.refresh_from_db()
                context["emails_just_stopped"] = True
        context.update(
            state=_email_state(contribution),
            reference=contribution.reference,
            removes_address=notifications.address_removal(contribution)[0],
            # Offered only where a name is shown (or was, a moment ago).
            name_state=("hidden" if not contribution.name_shown else "shown") if contribution.name else None,
        )
    response = TemplateResponse(request, "wagtail_dialog/pages/unsubscribe.html", context, status=status)
    add_never_cache_headers(response)
    return response
