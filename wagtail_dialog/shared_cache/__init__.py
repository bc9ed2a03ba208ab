"""Public pages kept by a shared cache (Varnish, nginx, a CDN) in front of the site.

``headers``: what an anonymous visitor's response says to the cache, and what
keeps a personal one out of it. ``cross_site``: the resident forms' guard
against posts from other sites, which takes the place of the CSRF token (a
token would make every page personal). ``purge``: the addresses to purge,
through ``wagtail.contrib.frontend_cache``, when what a resident sees changes.
The middleware that ties the first two into Django's request cycle is
``wagtail_dialog.middleware``.
"""
