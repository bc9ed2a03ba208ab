"""The unsubscribe link in every feedback email: a GET asks (mail scanners
follow links), a POST stops the emails about one contribution. A broken link
says so."""

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from wagtail_dialog.contributions import notifications

#: <dialog>/unsubscribe/<token>/ (built by ``notifications.unsubscribe_url``).
UNSUBSCRIBE_PATH = "unsubscribe"


def serve(page, request, token):
    contribution = notifications.contribution_for_unsubscribe(token, page)
    status = 200
    if contribution is None:
        state, status = "invalid", 404
    elif not contribution.notify:
        state = "stopped" if contribution.email else "done"
    elif request.method == "POST":
        state = "done" if notifications.unsubscribe(contribution) else "stopped"
    else:
        state = "confirm"
    context = {"page": page, "self": page, "state": state, "reference": contribution.reference if contribution else ""}
    response = TemplateResponse(request, "wagtail_dialog/pages/unsubscribe.html", context, status=status)
    add_never_cache_headers(response)
    return response
