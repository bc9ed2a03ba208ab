"""Django discovers models here; each concept lives in its own module."""

from .decision_bodies import DecisionBody, DecisionBodyKind  # noqa: F401
from .pages import (  # noqa: F401
    DialogIndexPage,
    DialogMethod,
    DialogPage,
    DialogPageTag,
    DialogScopeLimit,
    DialogTargetGroup,
)
from .contributions import Contribution, ContributionTag  # noqa: F401
from .site_settings import DialogSiteSettings  # noqa: F401
from .personal_data import PersonalDataRequest  # noqa: F401
from .daily import DailyRun  # noqa: F401
from .evaluation import EvaluationPrinciple, SelfAssessment, SurveyResponse  # noqa: F401
