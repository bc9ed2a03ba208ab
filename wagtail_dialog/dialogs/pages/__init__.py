"""The page models: the dialog index page (``index``) and the dialog page
(``dialog``) with its inline lists (``lists``), and the editor's panels (``panels``).

A Wagtail page is also its controller, so this sits above the services it
calls; what it does with a resident's request lives in ``wagtail_dialog.public``.
The page classes are importable from here: ``from wagtail_dialog.dialogs.pages
import DialogPage``.
"""

from wagtail_dialog.dialogs.pages.dialog import DialogPage, DialogPageTag  # noqa: F401
from wagtail_dialog.dialogs.pages.index import DialogIndexPage  # noqa: F401
from wagtail_dialog.dialogs.pages.lists import DialogMethod, DialogScopeLimit, DialogTargetGroup  # noqa: F401
