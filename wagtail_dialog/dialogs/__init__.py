"""The dialog itself: the index and dialog page models and their panels
(``pages``), and the vocabulary they are made of: the participation ladder
(``levels``), the gate (``gate``), the derived ``status``, what must hold at
``publication``, dialog ``types``, ``decision_bodies``, the policy ``blocks``,
the index ``filters`` and the per-site ``site_settings``.

``pages`` sits above the services (contributions, search, follow-up, privacy)
because a Wagtail page is also its controller; every other module here is the
bottom layer, which the services build on and which imports none of them.
"""
