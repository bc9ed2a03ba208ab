"""What a survey page does with a resident's request: shows the questions,
step by step where the editor has added section headings, takes the answers
(plain HTML, no JavaScript needed) and, after sending, shows the receipt at an
address of its own (POST-redirect-GET: reloading never sends twice).

Between steps, the answers so far travel in a signed hidden field: the survey
needs no session and no cookie, each step is checked as it is left, "Back"
keeps what was written on the step left, and the whole is checked once more
before it is stored. A step shown only after a given answer is skipped, and
its answers dropped, when that answer changes.

The form is a resident form (``shared_cache.cross_site``): no CSRF token, the
same first page for every visitor, so a shared cache keeps it. A browser that
has answered a once-per-browser survey is told so; the POST checks it again, as
a cached copy of the form may reach that browser all the same.
"""

import logging
from urllib.parse import unquote, urlsplit

from django.core import signing
from django.forms.utils import ErrorDict
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail_dialog.contributions import ratelimit
from wagtail_dialog.contributions.forms import HONEYPOT, posted_data
from wagtail_dialog.contributions.notifications import send_email, site_context
from wagtail_dialog.methods.surveys import results
from wagtail_dialog.methods.surveys.answers import (
    BROWSER_COOKIE,
    CONFIRM_DAYS,
    AnswerLimit,
    Confirmation,
    answered_here,
    confirm,
    confirmation_token,
    email_digest,
    mark_answered,
    record,
)
from wagtail_dialog.methods.surveys.questions import EMAIL_FIELD, answer_form_class, applicable_steps, posted_keys
from wagtail_dialog.shared_cache import cross_site
from wagtail_dialog.shared_cache.headers import for_everyone, never

logger = logging.getLogger(__name__)

#: <survey>/receipt/: where sending leads; <survey>/check-email/ for a once-per-email survey;
#: <survey>/confirm/<token>/: the link in its email.
RECEIPT_PATH = "receipt"
CHECK_EMAIL_PATH = "check-email"
CONFIRM_PATH = "confirm"
#: Counted apart from the contributions to the same dialog.
RATE_SCOPE = "survey-answer"
#: The hidden field with the answers so far, and the "Back" button's name.
STATE, BACK = "wd_state", "wd_back"
_SALT = "wagtail_dialog.methods.surveys.steps"
#: A survey left open longer than this starts again (its answers so far are not trusted).
STATE_MAX_AGE = 24 * 60 * 60


def _notice(survey, request, dialog, today):
    """Why the survey cannot be answered here and now, or None."""
    if not survey.is_open(today, dialog):
        opens_on, closes_on = survey.dates(dialog)
        # Not before a day it will never reach: a way whose dialog now closes first has closed.
        if opens_on and today < opens_on and not (closes_on and closes_on < opens_on):
            return {"kind": "upcoming", "opens_on": opens_on, "closes_on": closes_on}
        return {"kind": "closed", "closed_on": closes_on if closes_on and closes_on < today else None}
    if survey.answer_limit == AnswerLimit.BROWSER and answered_here(request, survey):
        return {"kind": "answered"}
    return None


def _load_state(survey, value):
    """(answers so far as {key: [values]}, the step's section id, whether a state was lost)."""
    if not value:
        return {}, None, False
    try:
        # Signed for this survey only: another survey's state does not verify here.
        state = signing.loads(value, salt=f"{_SALT}.{survey.pk}", max_age=STATE_MAX_AGE)
        data = {str(key): [str(item) for item in items] for key, items in state["data"].items()}
        return data, state.get("section"), False
    except (signing.BadSignature, KeyError, TypeError, AttributeError, ValueError):
        return {}, None, True


def _dump_state(survey, data, section):
    return signing.dumps({"data": data, "section": section.pk if section else None}, salt=f"{_SALT}.{survey.pk}",
                         compress=True)


def _query_dict(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _position(steps, section_id):
    for index, (section, _questions) in enumerate(steps):
        if (section.pk if section else None) == section_id:
            return index
    return 0


def _prefilled(form_class, data, survey):
    """A step's form showing the answers so far, without checking them: bound
    to them (so every field type shows its own), its errors set to none."""
    form = form_class(_query_dict(data), page=survey)
    form._errors = ErrorDict()
    return form


def answer(survey, request):
    preview = getattr(request, "is_preview", False)
    dialog = survey.dialog
    today = timezone.localdate()
    notice = None if preview else _notice(survey, request, dialog, today)
    questions = list(survey.get_form_fields())
    data, section_id, lost = {}, None, False
    steps = applicable_steps(questions, data)
    # A survey without section headings is one step: nothing to carry between steps.
    stepped = len(steps) > 1 or any(question.is_section for question in questions)
    index, form, status = 0, None, 200
    if request.method == "POST" and not preview and notice is not None:
        status = 403
    elif request.method == "POST" and not preview:
        # Never in an error report: the address for the link is used for one email and forgotten.
        request.sensitive_post_parameters = [EMAIL_FIELD]
        posted = posted_data(request)
        if stepped:
            data, section_id, lost = _load_state(survey, posted.get(STATE))
            steps = applicable_steps(questions, data)
            index = _position(steps, section_id)
        by_email = survey.answer_limit == AnswerLimit.EMAIL
        form_class = answer_form_class(steps[index][1], email=by_email and index + 1 == len(steps))
        if stepped:
            # This step's answers replace what the state held for it, whatever is done next.
            for name, field in form_class.base_fields.items():
                if name in (HONEYPOT, EMAIL_FIELD):
                    continue  # the bot trap, and an address that is never kept
                for key in posted_keys(name, field):
                    data.pop(key, None)
                    if key in posted:
                        data[key] = posted.getlist(key)
            steps = applicable_steps(questions, data)
            index = min(_position(steps, section_id), len(steps) - 1)
            # This step's answers may have made it the last (or no longer the last): the address goes there.
            form_class = answer_form_class(steps[index][1], email=by_email and index + 1 == len(steps))
        if BACK in posted and index > 0:
            index -= 1
            form = _prefilled(answer_form_class(steps[index][1]), data, survey)
        else:
            form = form_class(posted, page=survey)
            if lost:
                index = 0
                form = _prefilled(answer_form_class(steps[0][1]), {}, survey)
                form.cleaned_data = {}
                form.add_error(None, _("Your earlier answers were kept too long to be trusted and could not be "
                                       "read. Start the survey again from the first step."))
            elif cross_site.refused(request):
                form.is_valid()
                form.add_error(None, _("Your answers were not stored: the form seemed to come from another "
                                       "website. Check them below and send them again from this page."))
                status = 403
            elif form.is_valid() and index + 1 < len(steps):
                index += 1
                form = _prefilled(answer_form_class(steps[index][1], email=by_email and index + 1 == len(steps)),
                                  data, survey)
            elif form.is_valid():
                # The last step: every answer checked once more, as one form (a survey of one step
                # has just been checked whole).
                whole = form if len(steps) == 1 else answer_form_class(
                    [q for _section, step in steps for q in step])(_query_dict(data), page=survey)
                if not whole.is_valid():
                    # An earlier step no longer holds (its state was edited): show the first such step.
                    index = next((i for i, (_s, step) in enumerate(steps) if not answer_form_class(step)(
                        _query_dict(data), page=survey).is_valid()), 0)
                    form = answer_form_class(steps[index][1])(_query_dict(data), page=survey)
                elif ratelimit.count(request, survey, scope=RATE_SCOPE):
                    submission = record(survey, whole, pending=by_email)
                    # Below the survey's own address, decoded like request.path.
                    below = unquote(urlsplit(survey.get_url(request)).path).rstrip("/")
                    if by_email:
                        try:
                            send_confirmation(survey, submission, form.cleaned_data[EMAIL_FIELD], request)
                        except Exception:
                            # Logged without the address; the answers wait for nothing, so they go.
                            logger.exception("The confirmation email for survey %s could not be sent", survey.pk)
                            submission.delete()
                            form.add_error(None, _("We could not send the email with the link just now, so your "
                                                   "answers were not stored. Send them again in a while."))
                            status = 503
                        else:
                            return never(HttpResponseRedirect(f"{below}/{CHECK_EMAIL_PATH}/#wd-receipt"))
                    else:
                        # The receipt's own anchor: a browser would otherwise keep the form's (#wd-error-summary).
                        response = HttpResponseRedirect(f"{below}/{RECEIPT_PATH}/#wd-receipt")
                        if survey.answer_limit == AnswerLimit.BROWSER:
                            mark_answered(response, request, survey)
                        return never(response)
                else:
                    form.add_error(None, ratelimit.refusal_message())
                    status = 429
    elif notice is None:
        by_email = survey.answer_limit == AnswerLimit.EMAIL and len(steps) <= 1
        form = answer_form_class(steps[0][1] if steps else [], email=by_email)(page=survey)
    section = steps[index][0] if steps else None
    context = {
        **survey.get_context(request),
        "dialog": dialog,
        "form": form,
        "notice": notice,
        "form_token": cross_site.token_needed(),
        "dates": survey.dates(dialog),
        "personal_questions": [question.label for question in questions if question.is_personal],
        "section": section,
        "step_number": index + 1,
        "step_count": len(steps),
        "last_step": index + 1 >= len(steps),
        # Once closed, the counted answers, if the editor chose to show them (never the written ones).
        "public_results": (results.results(survey)[:2]
                           if notice and notice["kind"] == "closed" and survey.results_public else None),
        # Only after a first step: the first page stays the same for everyone (and a cache may keep it).
        "state": (_dump_state(survey, data, section)
                  if form is not None and len(steps) > 1 and request.method == "POST" else ""),
    }
    response = TemplateResponse(request, survey.get_template(request), context, status=status)
    if request.method == "POST" or preview or BROWSER_COOKIE in request.COOKIES:
        return never(response)  # a page for this browser only
    return for_everyone(request, response)


def receipt(survey, request, check_email=False):
    """The thanks after sending: what happens next and when feedback is promised
    (the same for everyone); for a once-per-email survey first the request to
    click the link."""
    dialog = survey.dialog
    context = {**survey.get_context(request), "dialog": dialog, "check_email": check_email,
               "confirm_days": CONFIRM_DAYS}
    return for_everyone(request, TemplateResponse(request, survey.get_landing_page_template(request), context))


def send_confirmation(survey, submission, address, request):
    """Email ``address`` the link that counts ``submission``. The address is
    used for this email only: it is in no task, table or log."""
    token = confirmation_token(submission, email_digest(survey, address))
    link = request.build_absolute_uri(
        unquote(urlsplit(survey.get_url(request)).path).rstrip("/") + f"/{CONFIRM_PATH}/{token}/")
    context = {**site_context(survey.dialog), "dialog": survey.dialog, "survey": survey, "link": link,
               "days": CONFIRM_DAYS}
    send_email(_("Confirm your answers to “%(title)s”") % {"title": survey.title}, "survey_confirm", context,
               [address])


def confirm_page(survey, request, token):
    """The email link: a button that counts the answers (a POST, so that a mail
    program that opens links to check them counts nothing)."""
    outcome = None
    status = 200
    if request.method == "POST":
        if cross_site.refused(request):
            status = 403
        else:
            outcome = confirm(survey, token)
            status = 404 if outcome == Confirmation.INVALID else 200
    context = {**survey.get_context(request), "dialog": survey.dialog, "outcome": outcome, "refused": status == 403,
               "form_token": cross_site.token_needed(), "days": CONFIRM_DAYS}
    response = TemplateResponse(request, "wagtail_dialog/methods/survey_confirm.html", context, status=status)
    return never(response)
