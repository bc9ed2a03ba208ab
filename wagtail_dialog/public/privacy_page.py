"""A dialog's privacy notice on a page of its own (``<dialog>/privacy/``): the
emails to an author link to it, and it stays when the form is gone (a closed
dialog still holds the author's data)."""

from django.template.response import TemplateResponse

from wagtail_dialog.contributions.forms import dialog_site_settings
from wagtail_dialog.methods.registry import methods
from wagtail_dialog.privacy.notice import notice_for

#: <dialog>/privacy/ (built by ``notifications.privacy_url``).
PRIVACY_PATH = "privacy"


def serve(page, request):
    context = {
        "page": page, "self": page, "privacy_notice": notice_for(page, dialog_site_settings(request, page)),
        # The ways to take part below the dialog that ask for a name, an address and the like (methods.registry).
        "ways_asking": [asked for method in methods() for asked in method.asks_for_personal_data(page)],
    }
    kinds = {way.method_name for way, _labels in context["ways_asking"]}
    context["meetings_asking"], context["surveys_asking"] = "meeting" in kinds, bool(kinds - {"meeting"})
    return TemplateResponse(request, "wagtail_dialog/pages/privacy.html", context)
