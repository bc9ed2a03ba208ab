"""What a resident's request goes through below a dialog page: sending a
contribution (``contribution``), what the page shows (``dialog_page``), the
participant survey (``survey``) and the feedback emails' unsubscribe link
(``unsubscribe``).

View functions that receive the page, routed by the page's RoutablePageMixin.
They sit in the page layer, below the page models (which call them) and above
the services (which they call); they never import a page module.
"""
