"""The receipt a resident sees once, on the dialog page, after sending a contribution.

It travels from the POST to the redirected GET in a short-lived signed cookie
scoped to the receipt's own address below the dialog (so the dialog page
itself never receives it, and a shared cache may keep that page): reloading never sends twice, the reference number
never appears in a URL or a server log, and sending writes no session row (a
site need not run sessions at all). The cookie holds no personal data, only
what the receipt shows.
"""

from django.core import signing
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import escape_uri_path

from wagtail_dialog.contributions import ContributionStatus

COOKIE_NAME = "wagtail_dialog_receipt"
#: Long enough for the redirect on a slow connection, short enough that the
#: next person at a shared computer does not see it.
MAX_AGE = 600
_SALT = "wagtail_dialog.receipt"


def receipt_for(contribution):
    """What the receipt tells the author: no personal data, just enough to show it."""
    return {
        "reference": contribution.reference,
        "published": contribution.status == ContributionStatus.PUBLISHED,
        "told": contribution.can_be_told,
    }


def _cookie_path(path):
    # The path as the browser sends it: a browser compares a cookie's Path with
    # the URL's percent-encoded path, and Wagtail's slugs may be Swedish
    # ("/dialoger/hur-ska-torget-användas/" arrives as ".../anv%C3%A4ndas/").
    return escape_uri_path(path)


def give_receipt(response, request, dialog, contribution, path):
    """Attach the receipt for ``contribution`` to the redirect ``response`` to
    ``path``, where the receipt is shown."""
    value = {"dialog": dialog.pk, **receipt_for(contribution)}
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(value, salt=_SALT),
        max_age=MAX_AGE,
        path=_cookie_path(path),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def take_receipt(request, dialog):
    """The receipt waiting for ``dialog`` in ``request``, or None. Call
    :func:`forget_receipt` on the response that shows it."""
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not cookie:
        return None
    try:
        value = signing.loads(cookie, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also an expired or tampered cookie
        return None
    if not isinstance(value, dict) or value.get("dialog") != dialog.pk:
        return None
    return {key: value.get(key) for key in ("reference", "published", "told")}


def forget_receipt(response, request):
    """Shown once: delete the cookie, and keep caches from storing the page that shows it."""
    response.delete_cookie(COOKIE_NAME, path=_cookie_path(request.path), samesite="Lax")
    add_never_cache_headers(response)
    return response
