"""Ways to take part (surveys, meetings, votes), one subpackage each, filled
by the issues that build them. See docs/design.md, "Ways to take part".

A method is a Wagtail page type that lives below a ``DialogPage``, declares the
lowest step of the participation ladder it fits, takes its dates from the
dialog, records a channel for every answer, and registers in one place what
the rest of the package needs from it (participants by channel, personal-data
fields, exports, open data, daily jobs), so follow-up and privacy loop over the
registry instead of importing each method. Its page sits in the page layer;
its services beside the other services; nothing below imports a method.
"""
