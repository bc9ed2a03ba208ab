"""The Wagtail admin screens: the contributions inbox and its bulk actions,
the reports (promised feedback, annual follow-up, evaluation), themes, a
person's requests, a dialog's archive export, decision bodies and the
dashboard panels. The top layer:
``wagtail_hooks`` wires these in; nothing below imports them.

Kept free of imports: Django's admin autodiscovery imports ``<app>.admin``.
"""
