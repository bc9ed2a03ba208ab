"""Settings a site may set in its Django settings, each as WAGTAIL_DIALOG_<NAME>.

The defaults here are what a site gets when it sets nothing.
"""

from django.conf import settings

DEFAULTS = {
    #: Dialogs per page on a dialog index page.
    "INDEX_PER_PAGE": 10,
    #: The contribution model, as "app_label.ModelName" (a subclass of AbstractContribution).
    "CONTRIBUTION_MODEL": "wagtail_dialog.Contribution",
    #: Published contributions per page on a dialog page.
    "CONTRIBUTIONS_PER_PAGE": 20,
    #: How many contributions one client may send within RATE_LIMIT_WINDOW seconds.
    #: Counted in the site's cache, so use a shared cache (e.g. Redis) when the
    #: site runs in several processes.
    "RATE_LIMIT": 5,
    "RATE_LIMIT_WINDOW": 600,
    #: A vote's own limit per client and RATE_LIMIT_WINDOW: wrong codes, links asked for by email and
    #: ballots of a vote open to anyone. Higher than RATE_LIMIT because a school's or a library's
    #: voters often share one address; None turns it off.
    "VOTE_RATE_LIMIT": 30,
    #: The longest contribution a dialog accepts unless the dialog sets its own limit.
    "DEFAULT_MAX_LENGTH": 4000,
    #: The request header that carries the client's address when the site runs
    #: behind its own reverse proxy, e.g. "X-Forwarded-For"; the right-most
    #: address in it (the one the proxy added) is used for the rate limit.
    #: None uses REMOTE_ADDR: never name a header that clients can set freely.
    #: Addresses are only ever used hashed (keyed with SECRET_KEY), never stored.
    "TRUSTED_PROXY_HEADER": None,
    #: Immediate moderator alerts: at most one email per dialog within this many
    #: seconds. The first contribution sets one off; those arriving meanwhile
    #: are counted in it instead of each sending one. 0 sends one per contribution.
    "ALERT_INTERVAL": 600,
    #: The Elasticsearch extra (pip install wagtail-dialog[elasticsearch]):
    #: {"URL": "http://localhost:9200"}, optionally with "INDEX_PREFIX" (default
    #: "wagtail-dialog") and "OPTIONS" for the client. None searches the database.
    "ELASTICSEARCH": None,
    #: How many seconds a shared cache (Varnish, nginx, a CDN) may keep a public
    #: page for anonymous visitors (Cache-Control: s-maxage). Changes that a
    #: resident would see purge the page at once through
    #: wagtail.contrib.frontend_cache; this bounds what no purge reaches (a
    #: dialog opening at midnight). 0 sends no such header. docs/shared-cache.md
    "SHARED_CACHE_MAX_AGE": 300,
    #: Promised feedback due within this many days is listed as "due soon" in the admin.
    "FEEDBACK_SOON_DAYS": 14,
    #: How many minutes a meeting seat is held for the link in the sign-up email to be clicked.
    "MEETING_HOLD_MINUTES": 60,
    #: How many hours a seat offered from a meeting's waiting list waits for an answer (never past the start).
    "MEETING_OFFER_HOURS": 24,
    #: A new meeting's default: names, contact details and needs are removed this many days after it.
    "MEETING_PERSONAL_DATA_DAYS": 30,
    #: The server key that keeps ballots secret together with each vote's own key (docs/privacy.md,
    #: "Votes"). Keep it outside the database and its backups, the same on every server, and unchanged
    #: while a vote is open. None derives one from SECRET_KEY.
    "VOTE_KEY": None,
}


def dialog_setting(name):
    return getattr(settings, f"WAGTAIL_DIALOG_{name}", DEFAULTS[name])
