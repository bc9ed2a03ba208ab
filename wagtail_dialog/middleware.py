"""``wagtail_dialog.middleware.SharedCacheMiddleware``: lets a shared cache keep
the public pages. It goes first in ``MIDDLEWARE``, above Django's
SessionMiddleware and CsrfViewMiddleware (a system check says so otherwise).

* A resident form's POST (a page route marked ``cross_site.resident_form``) is
  not asked for a CSRF token: its view checks where the post came from
  instead (see ``shared_cache.cross_site`` for why that is as safe).
* A response marked as shared (``shared_cache.headers.for_everyone``) loses the
  ``Vary: Cookie`` that Django adds when something, such as Wagtail's userbar
  in a site's base template, looked at the (absent) session: the request had
  no session cookie, so the page is the anonymous one whatever the cookies.
  If something set a cookie on it after all, it is not shared.
"""

from wagtail import views as wagtail_views
from wagtail.models import Page

from wagtail_dialog.shared_cache import cross_site, headers

#: Django's CSRF middleware skips its check for requests marked so. It is the
#: flag its own test client sets; a view attribute cannot be used, as every
#: Wagtail page is served by the one view below.
_SKIP_CSRF = "_dont_enforce_csrf_checks"


class SharedCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, headers.SHARED, False):
            if response.cookies:
                headers.never(response)
            elif response.has_header("Vary"):
                fields = (field.strip() for field in response["Vary"].split(","))
                kept = [field for field in fields if field and field.lower() != "cookie"]
                if kept:
                    response["Vary"] = ", ".join(kept)
                else:
                    del response["Vary"]
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or view_func is not wagtail_views.serve:
            return
        # Wagtail keeps the route on the request: its serve view does not route again.
        route = Page.route_for_request(request, view_kwargs.get("path", view_args[0] if view_args else ""))
        if route is None:
            return
        _page, args, _kwargs = route
        if args and cross_site.is_resident_form(args[0]):
            setattr(request, _SKIP_CSRF, True)
        return
