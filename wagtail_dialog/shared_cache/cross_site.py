"""The resident forms' guard against posts sent from other sites.

Django's CSRF token would put a per-visitor value (and a cookie) into every
page that shows a form, so no shared cache could keep the page. The resident
forms (a contribution, and the ways to take part as they come) are anonymous:
a post carries no session and no account, so a forged one can do nothing the
attacker could not do by sending the form themselves. What a forged post
could borrow is the victim's address, to spread a flood past the rate limit;
the browser's own account of where the post came from stops that:

* ``Sec-Fetch-Site: cross-site`` (every current browser sends it) is refused;
* an ``Origin`` that is not this site (or one in ``CSRF_TRUSTED_ORIGINS``) is
  refused, as Django's CSRF check does before it looks at the token;
* without an ``Origin``, a ``Referer`` from another site is refused;
* over HTTPS, a post with neither is refused, as Django does: every current
  browser sends one, so their absence means something between the browser and
  the site strips them, and the check must not quietly pass everything then.

Over plain HTTP (a developer's machine), a request with none of these headers
does not come from a browser page, so it cannot be forged in a visitor's name;
it meets the honeypot, the rate limit and moderation like any other.
docs/shared-cache.md says the same for sites.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import is_same_domain

#: Marks a page route whose POST is a resident form, exempt from the CSRF token
#: (wagtail_dialog.middleware) because its view calls :func:`refused` first.
ATTRIBUTE = "wagtail_dialog_resident_form"


def resident_form(view):
    """Decorate a routable page's view that receives a resident form."""
    setattr(view, ATTRIBUTE, True)
    return view


def is_resident_form(view):
    return bool(getattr(view, ATTRIBUTE, False))


#: The middleware that exempts resident forms from the token.
MIDDLEWARE = "wagtail_dialog.middleware.SharedCacheMiddleware"


def token_needed():
    """Whether the resident forms must carry Django's CSRF token: where the
    site does not run the middleware, Django still asks for it."""
    return MIDDLEWARE not in settings.MIDDLEWARE


def _trusted(origin, request):
    good = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    if origin == good or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parsed = urlsplit(origin)
    except ValueError:  # such as "http://[": not an origin anyone may post from
        return False
    if not parsed.scheme or not parsed.netloc:
        return False
    return any(
        is_same_domain(parsed.netloc, urlsplit(trusted).netloc.removeprefix("*"))
        for trusted in settings.CSRF_TRUSTED_ORIGINS
        if "://*." in trusted and trusted.startswith(parsed.scheme + "://")
    )


def refused(request):
    """Whether a resident form's POST came from another site's page."""
    if request.META.get("HTTP_SEC_FETCH_SITE", "").lower() == "cross-site":
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return not _trusted(origin, request)
    referer = request.META.get("HTTP_REFERER")
    if referer:
        try:
            parsed = urlsplit(referer)
        except ValueError:
            return True
        return not _trusted(f"{parsed.scheme}://{parsed.netloc}", request)
    return request.is_secure()
