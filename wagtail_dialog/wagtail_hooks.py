from wagtail.snippets.models import register_snippet

from .views.decision_bodies import DecisionBodyViewSet

register_snippet(DecisionBodyViewSet)
