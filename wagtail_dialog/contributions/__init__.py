"""Contributions: what residents send, and everything that happens to it.

``models`` (the abstract model a site may extend and the default one), the
resident's ``forms``, ``submission``, ``receipts`` and the ``ratelimit``;
``moderation`` and its ``permissions`` and ``groups``; ``notifications``
(emails) and ``exports``. A service layer: it may import the dialog's
vocabulary (``dialogs`` below the page models), ``search`` and ``conf``, never
a page module, an admin screen or a way of taking part.

The names a site uses are importable from here, as before the package was
split by concept: ``from wagtail_dialog.contributions import AbstractContribution``.
"""

from wagtail_dialog.contributions.models import (  # noqa: F401
    REFERENCE_ALPHABET,
    AbstractContribution,
    Channel,
    Contribution,
    ContributionStatus,
    ContributionTag,
    Feasibility,
    ModerationReason,
    Relation,
    get_contribution_model,
    get_dialog_model,
    new_reference,
)
