"""Differences between the Wagtail versions we support, gated in one place."""

from django.conf import settings

# Wagtail 8 made the page model swappable and names it in WAGTAIL_PAGE_MODEL;
# Wagtail 7.4 has no such setting. Migrations refer to the page model through
# this name so one migration serves both versions.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")

# The newest wagtailcore migration that both Wagtail 7.4 and 8.x ship.
WAGTAILCORE_MIGRATION = ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes")
