"""Demo content for Exempelkommun, built by ``manage.py load_demo``: the
policy texts (``policy``), builders (``builders``), one module per demo dialog
(``dialogs``), the demo's contributions (``contributions``) and its evaluation
(``evaluation``)."""
