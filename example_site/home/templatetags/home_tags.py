"""The site's header: its name and a menu of the three pages that matter."""

from django import template
from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.models import Site

from wagtail_dialog.dialogs.pages import DialogIndexPage

from ..models import PolicyPage

register = template.Library()


def _site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request else None


@register.simple_tag(takes_context=True)
def site_name(context):
    site = _site(context)
    return (site and site.site_name) or settings.WAGTAIL_SITE_NAME


@register.inclusion_tag("home/includes/site_nav.html", takes_context=True)
def site_nav(context):
    """Home, the first policy page and the first dialog index below the site root.

    The current page is marked ``aria-current="page"``; the section it lies in
    (a dialog below the index) ``aria-current="true"``.
    """
    site = _site(context)
    if site is None:
        return {"items": []}
    root = site.root_page
    pages = [root]
    for model in (PolicyPage, DialogIndexPage):
        found = model.objects.live().public().descendant_of(root).order_by("path").first()
        if found:
            pages.append(found)
    current = context.get("page")
    items = []
    for page in pages:
        if current is not None and current.pk == page.pk:
            state = "page"
        elif current is not None and page.pk != root.pk and current.path.startswith(page.path):
            state = "true"
        else:
            state = ""
        title = _("Home") if page.pk == root.pk else page.title
        items.append({"title": title, "url": page.get_url(context.get("request")), "current": state})
    return {"items": items}
