"""Django discovers models here; each concept lives in its own module."""

from wagtail_dialog.contributions import Contribution, ContributionTag  # noqa: F401
from wagtail_dialog.contributions.history import ContributionLogEntry  # noqa: F401
from wagtail_dialog.daily import DailyRun  # noqa: F401
from wagtail_dialog.dialogs.decision_bodies import DecisionBody, DecisionBodyKind  # noqa: F401
from wagtail_dialog.dialogs.pages import (  # noqa: F401
    DialogIndexPage,
    DialogMethod,
    DialogPage,
    DialogPageTag,
    DialogScopeLimit,
    DialogTargetGroup,
)
from wagtail_dialog.dialogs.site_settings import DialogSiteSettings  # noqa: F401
from wagtail_dialog.followup.evaluation import EvaluationPrinciple, SelfAssessment, SurveyResponse  # noqa: F401
from wagtail_dialog.methods.base import MethodPage  # noqa: F401
from wagtail_dialog.methods.meetings.pages import MeetingPage  # noqa: F401
from wagtail_dialog.methods.meetings.seats import MeetingState, Registration  # noqa: F401
from wagtail_dialog.methods.surveys.answers import SurveySubmission  # noqa: F401
from wagtail_dialog.methods.surveys.pages import SurveyPage  # noqa: F401
from wagtail_dialog.methods.surveys.questions import SurveyQuestion  # noqa: F401
from wagtail_dialog.methods.votes.ballots import Ballot, BallotChoice  # noqa: F401
from wagtail_dialog.methods.votes.codes import CodeBatch, VoteCode  # noqa: F401
from wagtail_dialog.methods.votes.email_links import SpentLink  # noqa: F401
from wagtail_dialog.methods.votes.pages import VotePage, VoteOption  # noqa: F401
from wagtail_dialog.methods.votes.secrecy import VoteKey  # noqa: F401
from wagtail_dialog.privacy.requests import PersonalDataRequest  # noqa: F401
