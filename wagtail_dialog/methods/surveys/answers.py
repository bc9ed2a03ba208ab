"""A survey's answers: one row per respondent, the channel it came in by, and
who may answer how often.

Closed answers (choices, scales, numbers, dates) and free text are kept
apart: free text may name someone, so at the dialog's retention date it is
emptied in one UPDATE while the counted answers stay for the results.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import AbstractFormSubmission

from wagtail_dialog.contributions.models import Channel
from wagtail_dialog.methods.surveys.questions import QuestionType, SurveyQuestion
from wagtail_dialog.search.database import stored_terms


class AnswerLimit(models.TextChoices):
    ANYONE = "anyone", _("Anyone, as often as they like (the results are indicative)")
    BROWSER = "browser", _("Once per browser (a cookie: easy to get round, so the results are indicative)")
    EMAIL = "email", _("Once per email address, confirmed by a link (the address is not kept)")


class SurveySubmission(AbstractFormSubmission):
    """One respondent's answers to one survey."""

    page = models.ForeignKey("wagtail_dialog.SurveyPage", on_delete=models.CASCADE, related_name="submissions",
                             verbose_name=_("survey"))
    # ``form_data`` (Wagtail's) holds the closed answers; the free text is here.
    texts = models.JSONField(_("written answers"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The staff member who typed in an answer given on paper, at a meeting or by phone."),
    )
    texts_emptied_at = models.DateTimeField(_("written answers emptied"), null=True, blank=True, editable=False)
    # The written answers' Swedish search terms (search.database), emptied with them.
    search_terms = models.TextField(editable=False, blank=True, default="")
    # Once per email address: not counted until the link in the email is clicked.
    pending = models.BooleanField(_("waiting for the email link"), default=False, editable=False)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["page", "channel"])]

    def get_data(self):
        return {**self.form_data, **self.texts, "submit_time": self.submit_time, "channel": self.get_channel_display()}


class SurveyEmailDigest(models.Model):
    """That an email address has answered a survey: a keyed digest of it, with
    no link to the answers. The answers hold no trace of the address."""

    survey = models.ForeignKey("wagtail_dialog.SurveyPage", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("survey email digest")
        verbose_name_plural = _("survey email digests")
        constraints = [models.UniqueConstraint(fields=["survey", "digest"], name="wagtail_dialog_survey_email_once")]


def record(survey, form, *, channel=Channel.WEB, entered_by=None, pending=False):
    """Store ``form``'s answers (valid) to ``survey``."""
    closed, texts = form.answers()
    return SurveySubmission.objects.create(page=survey, form_data=closed, texts=texts, channel=channel,
                                           entered_by=entered_by, search_terms=stored_terms(*form.searchable_texts()),
                                           pending=pending)


# Once per email address: the answers wait until the link in the email is clicked.
#: Days a link works; unconfirmed answers are removed after them (the daily job).
CONFIRM_DAYS = 7
_EMAIL_SALT = "wagtail_dialog.methods.surveys.email"


def email_digest(survey, address):
    """A keyed digest of ``address`` for ``survey``: the same address gives the
    same digest in this survey only, and without SECRET_KEY it cannot be tried
    against a list of addresses."""
    normalised = address.strip().casefold()
    return salted_hmac(f"{_EMAIL_SALT}.{survey.pk}", normalised, algorithm="sha256").hexdigest()


def _link_mac(body):
    return salted_hmac(f"{_EMAIL_SALT}.link", body, algorithm="sha256").hexdigest()[:32]


def confirmation_token(submission, digest, now=None):
    """What the email link carries: the waiting answers, the digest and when it
    was sent, keyed with SECRET_KEY; never the address. Only letters, digits
    and hyphens: Wagtail serves no other characters in a page path."""
    sent = int((now or time.time()))
    body = f"{submission.pk}-{digest}-{sent:x}"
    return f"{body}-{_link_mac(body)}"


def _read_token(token, now=None):
    """(answers' pk, digest) from a link that is whole and not too old, else None."""
    parts = str(token).split("-")
    if len(parts) != 4 or not parts[0].isdigit():
        return None
    pk, digest, sent, mac = parts
    if not constant_time_compare(mac, _link_mac(f"{pk}-{digest}-{sent}")):
        return None
    try:
        if int(sent, 16) + CONFIRM_DAYS * 24 * 60 * 60 < (now or time.time()):
            return None
    except ValueError:
        return None
    return int(pk), digest


class Confirmation(models.TextChoices):
    COUNTED = "counted"
    ALREADY = "already"
    INVALID = "invalid"


def confirm(survey, token):
    """Count the answers the link ``token`` names, unless its address has answered already."""
    found = _read_token(token)
    if found is None:
        return Confirmation.INVALID
    pk, digest = found
    with transaction.atomic():
        submission = SurveySubmission.objects.select_for_update().filter(pk=pk, page=survey).first()
        if submission is None:
            return Confirmation.INVALID
        if not submission.pending:
            return Confirmation.COUNTED  # the same link clicked again
        try:
            with transaction.atomic():
                SurveyEmailDigest.objects.create(survey=survey, digest=digest)
        except IntegrityError:
            submission.delete()  # the address answered before: the first answers count
            return Confirmation.ALREADY
        submission.pending = False
        submission.save(update_fields=["pending"])
    return Confirmation.COUNTED


def remove_unconfirmed(today=None):
    """Remove answers whose email link was not clicked in time; returns how many."""
    cutoff = timezone.now() - timedelta(days=CONFIRM_DAYS)
    removed, _kinds = SurveySubmission.objects.filter(pending=True, submit_time__lt=cutoff).delete()
    return f"removed {removed} unconfirmed survey answers"


# Once per browser: a signed cookie naming the surveys this browser has answered.
BROWSER_COOKIE = "wagtail_dialog_answered"
_SALT = "wagtail_dialog.methods.surveys.answers"
#: A cookie a year old is forgotten: by then the survey has closed.
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60


def answered_here(request, survey):
    """Whether this browser's cookie says it has answered ``survey``."""
    return survey.pk in _answered(request)


def _answered(request):
    try:
        value = signing.loads(request.COOKIES.get(BROWSER_COOKIE, ""), salt=_SALT, max_age=BROWSER_COOKIE_AGE)
    except signing.BadSignature:
        return set()
    return {pk for pk in value if isinstance(pk, int)} if isinstance(value, list) else set()


def mark_answered(response, request, survey):
    """Remember in ``response``'s cookie that this browser has answered ``survey``."""
    answered = sorted(_answered(request) | {survey.pk})[-50:]
    response.set_cookie(
        BROWSER_COOKIE, signing.dumps(answered, salt=_SALT), max_age=BROWSER_COOKIE_AGE, httponly=True,
        samesite="Lax", secure=request.is_secure(),
    )
    return response


def counted(answers):
    """``answers`` without those still waiting for their email link."""
    return answers.filter(pending=False)


def surveys_in(dialogs):
    """A Q matching the submissions to the surveys directly below ``dialogs``."""
    match = Q(pk__in=[])
    for dialog in dialogs:
        match |= Q(page__path__startswith=dialog.path, page__depth=dialog.depth + 1)
    return match


def participants(dialogs):
    """Respondents to the surveys of ``dialogs``, by channel (the annual follow-up)."""
    return dict(
        counted(SurveySubmission.objects.filter(surveys_in(dialogs))).order_by().values_list("channel")
        .annotate(n=Count("pk"))
    )


def _with_texts(dialog):
    return SurveySubmission.objects.filter(surveys_in([dialog]), texts_emptied_at__isnull=True).exclude(texts={})


def holding_personal_data(dialog):
    return _with_texts(dialog).count()


def empty_personal_data(dialog):
    """Empty the written answers to ``dialog``'s surveys, and forget which email addresses
    answered them; the counted answers stay."""
    SurveyEmailDigest.objects.filter(survey__path__startswith=dialog.path,
                                     survey__depth=dialog.depth + 1).delete()
    return _with_texts(dialog).update(texts={}, search_terms="", texts_emptied_at=timezone.now())


def _holding(email):
    """The pks of the answers with ``email`` as one of their written answers (case and spaces ignored)."""
    address = (email or "").strip().casefold()
    if not address:
        return []
    # Narrowed in the database by the text, then checked whole: "anna@example.se" is not "joanna@example.se".
    # Only an ASCII address can be narrowed so: SQLite stores the JSON with "ö" as "\u00f6".
    found = SurveySubmission.objects.exclude(texts={})
    if address.isascii():
        found = found.annotate(written=Cast("texts", models.TextField())).filter(written__icontains=address)
    found = found.values_list("pk", "texts")
    return [pk for pk, texts in found
            if any(isinstance(value, str) and value.strip().casefold() == address for value in (texts or {}).values())]


def answers_holding(email):
    return len(_holding(email))


def erase_answers(email, delete):
    """A person's request: the answers holding ``email`` lose their written answers (or go, with ``delete``)."""
    pks = _holding(email)
    answers = SurveySubmission.objects.filter(pk__in=pks)
    if delete:
        answers.delete()
    else:
        answers.update(texts={}, search_terms="", texts_emptied_at=timezone.now())
    return len(pks)


def asks_for_personal_data(dialog):
    """The live surveys below ``dialog`` with questions that ask for personal data, and those questions' labels."""
    asked = {}
    questions = (
        SurveyQuestion.objects.filter(page__path__startswith=dialog.path, page__depth=dialog.depth + 1,
                                      page__live=True)
        .filter(Q(personal=True) | Q(field_type=QuestionType.EMAIL))
        .select_related("page").order_by("page__path", "sort_order")
    )
    for question in questions:
        asked.setdefault(question.page, []).append(question.label)
    return list(asked.items())
