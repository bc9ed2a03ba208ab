"""Settings a site may set in its Django settings, each as WAGTAIL_DIALOG_<NAME>.

The defaults here are what a site gets when it sets nothing.
"""

from django.conf import settings

DEFAULTS = {
    #: Dialogs per page on a dialog index page.
    "INDEX_PER_PAGE": 10,
}


def dialog_setting(name):
    return getattr(settings, f"WAGTAIL_DIALOG_{name}", DEFAULTS[name])
