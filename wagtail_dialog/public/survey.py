"""The anonymous participant survey below a dialog page (see
``followup.evaluation``): a plain HTML form, sent back to its thanks page
(POST-redirect-GET), open once the dialog has opened. Both pages are the same
for every visitor, so a shared cache keeps them; the form is a resident form
(``shared_cache.cross_site``), without a CSRF token."""

from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions.forms import posted_data
from wagtail_dialog.followup.evaluation import record_response
from wagtail_dialog.followup.survey_form import SurveyForm
from wagtail_dialog.shared_cache import cross_site
from wagtail_dialog.shared_cache.headers import for_everyone, never

#: <dialog>/survey/ and <dialog>/survey/thanks/.
SURVEY_PATH = "survey"
THANKS_PATH = "thanks"


def serve(page, request, thanks=False):
    if not page.survey_open:
        raise Http404
    form, status = None, 200
    if not thanks:
        if request.method == "POST":
            form = SurveyForm(posted_data(request), dialog=page)
            if cross_site.refused(request):
                form.is_valid()
                form.add_error(None, _("Your answers were not stored: the form seemed to come from another website. "
                                       "Check them below and send them again from this page."))
                status = 403
            elif form.is_valid():
                if ratelimit.count(request, page, scope=SURVEY_PATH):
                    record_response(page, form.answers(), improvement=form.cleaned_data["improvement"])
                    return never(HttpResponseRedirect(page.survey_url(request) + THANKS_PATH + "/"))
                form.add_error(None, _("Many answers have come from your connection in a short while. Wait a "
                                       "while and send again; your answers are still in the form."))
                status = 429
        else:
            form = SurveyForm(dialog=page)
    context = {"page": page, "self": page, "form": form, "thanks": thanks, "form_token": cross_site.token_needed()}
    response = TemplateResponse(request, "wagtail_dialog/pages/survey.html", context, status=status)
    return never(response) if request.method == "POST" else for_everyone(request, response)
