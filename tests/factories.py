"""Small helpers that build dialogs the way an editor would, plus fixtures."""

import datetime

import pytest
from wagtail.models import Locale, Page, Site
from wagtail.users.models import UserProfile

from wagtail_dialog.contributions import Contribution
from wagtail_dialog.dialogs.decision_bodies import DecisionBody, DecisionBodyKind
from wagtail_dialog.dialogs.gate import GATE_QUESTIONS, GateAnswer
from wagtail_dialog.dialogs.levels import ParticipationLevel
from wagtail_dialog.dialogs.pages import DialogIndexPage, DialogPage


def make_decision_body(name="Kommunstyrelsen", kind=DecisionBodyKind.EXECUTIVE_BOARD):
    body, _ = DecisionBody.objects.get_or_create(name=name, defaults={"kind": kind})
    return body


def publishable_fields(**overrides):
    """Field values for a dialog that passes the gate and may open for contributions."""
    today = datetime.date.today()
    fields = {
        "question": "Hur vill du att torget ska användas?",
        "purpose": "Att samla in synpunkter före beslut.",
        "participation_level": ParticipationLevel.CONSULTATION,
        "scope_open": "Torgets möblering och aktiviteter.",
        "result_use": "Resultatet blir en del av beslutsunderlaget.",
        "feedback_method": "På den här sidan.",
        "opens_on": today - datetime.timedelta(days=1),
        "closes_on": today + datetime.timedelta(days=30),
        "decision_expected_on": today + datetime.timedelta(days=60),
        "feedback_due_on": today + datetime.timedelta(days=90),
    }
    fields.update({question.field: GateAnswer.YES for question in GATE_QUESTIONS})
    fields.update(overrides)
    return fields


def site_root():
    """The default site's root page, made anew when a transactional test's flush
    has removed what Wagtail's migrations created."""
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        return site.root_page
    Locale.objects.get_or_create(language_code="sv")
    root = Page.objects.filter(depth=1).first() or Page.add_root(title="Root", slug="root")
    home = root.add_child(title="Hem", slug="hem")
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def make_index(parent=None, title="Medborgardialoger", slug="dialoger"):
    parent = parent or site_root()
    index = DialogIndexPage(title=title, slug=slug)
    parent.add_child(instance=index)
    return index


def make_dialog(index, title="Torget", tags=(), **overrides):
    fields = publishable_fields(**overrides)
    if "decision_body" not in fields:
        fields["decision_body"] = make_decision_body()
    dialog = DialogPage(title=title, **fields)
    index.add_child(instance=dialog)
    if tags:
        dialog.tags.add(*tags)
        dialog.save()
    return dialog


def make_contribution(dialog, text="Fler bänkar, tack.", **fields):
    return Contribution.objects.create(dialog=dialog, text=text, **fields)


@pytest.fixture
def dialog_index(db):
    return make_index()


@pytest.fixture
def dialog(dialog_index):
    return make_dialog(dialog_index)


@pytest.fixture
def swedish_admin(admin_user, client):
    """The test client logged in as a superuser whose admin speaks Swedish."""
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "sv"
    profile.save()
    client.force_login(admin_user)
    return client


#: One question of every type a survey offers: (label, type, extra fields).
EVERY_QUESTION = (
    ("Hur ofta besöker du parken?", "radio", {"choices": "Varje dag\nVarje vecka\nSällan"}),
    ("Hur nöjd är du med parken i dag?", "scale",
     {"scale_points": 5, "scale_low_label": "Mycket missnöjd", "scale_high_label": "Mycket nöjd"}),
    ("Vad vill du kunna göra i parken?", "checkboxes", {"choices": "Leka\nGrilla\nPromenera", "required": False}),
    ("Vilken del av parken använder du mest?", "dropdown", {"choices": "Norra\nSödra", "required": False}),
    ("Vilka tider passar dig?", "multiselect", {"choices": "Förmiddag\nEftermiddag\nKväll", "required": False}),
    ("Har du barn som leker i parken?", "checkbox", {"required": False}),
    ("Hur många i ditt hushåll?", "number", {"required": False}),
    ("När var du senast i parken?", "date", {"required": False}),
    ("Något mer du vill säga?", "multiline", {"required": False}),
    ("Ett ord om parken", "singleline", {"required": False}),
    ("Länk till en bild", "url", {"required": False}),
    ("E-post om du vill bli kontaktad", "email", {"required": False}),
)


def make_survey(dialog, title="Enkät om parken", slug="enkat", questions=EVERY_QUESTION, **fields):
    from wagtail_dialog.methods.surveys.pages import SurveyPage
    from wagtail_dialog.methods.surveys.questions import SurveyQuestion

    survey = SurveyPage(title=title, slug=slug, **fields)
    for order, (label, kind, extra) in enumerate(questions):
        survey.questions.add(SurveyQuestion(label=label, field_type=kind, sort_order=order, **extra))
    dialog.add_child(instance=survey)
    return survey


def make_meeting(dialog, title="Dialogcafé om parken", slug="dialogcafe", starts_in=datetime.timedelta(days=7),
                 **fields):
    from django.utils import timezone

    from wagtail_dialog.methods.meetings.pages import MeetingPage

    starts_at = fields.pop("starts_at", None) or (timezone.now() + starts_in).replace(microsecond=0)
    fields.setdefault("ends_at", starts_at + datetime.timedelta(hours=2))
    fields.setdefault("venue_name", "Biblioteket")
    fields.setdefault("address", "Storgatan 1, Exempelby")
    meeting = MeetingPage(title=title, slug=slug, starts_at=starts_at, **fields)
    dialog.add_child(instance=meeting)
    return meeting


#: (title, cost, place) of a budget vote's options by default.
BUDGET_OPTIONS = (
    ("Belysning på gångvägen i Hemsjö", 400_000, "Hemsjö"),
    ("Lekplats vid bygdegården", 300_000, "Bjärke"),
    ("Badbrygga vid sjön", 250_000, "Ödenäs"),
    ("Upprustat elljusspår", 150_000, "Sollebrunn"),
)


def make_vote(dialog, title="Medborgarbudget", slug="omrostning", options=BUDGET_OPTIONS, **fields):
    """A vote below ``dialog`` (raised to co-determination), by default a budget of 1 000 000 kronor
    with code ballots."""
    from wagtail_dialog.dialogs.levels import ParticipationLevel
    from wagtail_dialog.methods.votes.kinds import Credential, VoteMethod
    from wagtail_dialog.methods.votes.pages import VoteOption, VotePage

    if dialog.participation_level != ParticipationLevel.CODETERMINATION:
        dialog.participation_level = ParticipationLevel.CODETERMINATION
        dialog.save(update_fields=["participation_level"])
    fields.setdefault("method", VoteMethod.BUDGET)
    fields.setdefault("budget", 1_000_000 if fields["method"] == VoteMethod.BUDGET else None)
    fields.setdefault("credential", Credential.CODE)
    fields.setdefault("binding", "Kommunstyrelsen genomför de förslag som får pengar.")
    fields.setdefault("eligibility", "Du bor, arbetar eller studerar i kommunen.")
    vote = VotePage(title=title, slug=slug, **fields)
    for order, (option_title, cost, place) in enumerate(options):
        vote.options.add(VoteOption(title=option_title, cost=cost, place=place, sort_order=order))
    dialog.add_child(instance=vote)
    return vote
