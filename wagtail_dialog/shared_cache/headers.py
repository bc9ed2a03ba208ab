"""What a public page's response tells a shared cache.

A page is shared only when it is the same for everyone who could receive it
from the cache: an anonymous GET. A request that carries a session cookie may
be a logged-in editor, whose view (with the userbar, a preview, drafts) must
never be kept or served to anyone else, so its response says so and the
cache's own configuration passes such requests by (docs/shared-cache.md).
Browsers are told to ask again every time (``max-age=0``): a purge reaches the
shared cache, never a resident's browser.

A page in another language than the site's own, chosen by a cookie or the
browser's Accept-Language rather than by its address, is not shared either:
CDNs key on the address, not on a cookie or on Vary, so one such visitor would
give everyone their language. A site whose languages are in the address
(``i18n_patterns``) has all of them shared.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from wagtail_dialog.conf import dialog_setting

#: The attribute that marks a response the middleware may hand to a shared cache.
SHARED = "wagtail_dialog_shared"


def may_share(request):
    """Whether the response to ``request`` may be the one every anonymous visitor gets."""
    return (
        request.method in ("GET", "HEAD")
        and bool(dialog_setting("SHARED_CACHE_MAX_AGE"))
        and not _personal(request)
        and _language_in_address(request)
    )


def _language_in_address(request):
    """Whether the page's language follows from its address alone."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        sites_own = translation.get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:  # LANGUAGE_CODE not among LANGUAGES: Django falls back to it as it is
        sites_own = settings.LANGUAGE_CODE
    if language == sites_own:
        return True
    return translation.get_language_from_path(request.path_info) == language


def for_everyone(request, response):
    """Mark a public page's response: shared by the cache for anonymous visitors,
    never kept for anyone else (a session, a preview, a post)."""
    if may_share(request):
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=0, s_maxage=dialog_setting("SHARED_CACHE_MAX_AGE"))
            setattr(response, SHARED, True)
        return response
    if not dialog_setting("SHARED_CACHE_MAX_AGE") and request.method in ("GET", "HEAD") and not _personal(request):
        return response  # shared caching is switched off: as Django leaves it
    return never(response)


def _personal(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES or getattr(request, "is_preview", False)


def never(response):
    """A personal response: no cache keeps it, shared or the browser's."""
    if response.has_header("Cache-Control"):
        del response["Cache-Control"]
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    setattr(response, SHARED, False)
    return response
