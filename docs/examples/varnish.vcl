vcl 4.1;
# Varnish in front of a Wagtail site with wagtail-dialog (docs/shared-cache.md).
# tests/browser/test_example_site_cache.py runs the example site behind this very
# file, with the backend's port and the purge address filled in.

# The Django site: gunicorn (or, for the demo, runserver).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the site's own servers (WAGTAILFRONTENDCACHE's LOCATION points here).
acl purge {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purge) {
            return (synth(405, "Not allowed"));
        }
        # The path with every query string at once: a dialog page's list pages,
        # the index's filtered views, and links with search terms in them.
        ban("obj.http.x-host == " + req.http.host +
            " && obj.http.x-url ~ ^" + regsub(req.url, "\?.*$", "") + "(\?|$)");
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A logged-in editor or moderator (Django's session cookie: SESSION_COOKIE_NAME)
    # is never served from the cache, and their pages are never stored.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.http.Authorization || req.url ~ "^/admin/") {
        return (pass);
    }
    # Any other cookie (a receipt on its way, the language chosen, analytics)
    # leaves a public page the same for everyone: look it up. The cookies still
    # reach Django on a miss, and the receipt's own address is never stored
    # (Django marks it private).
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    # A visitor who chose another language with the site's language buttons
    # (Django's django_language cookie) must not get the site's own language's
    # copy: Django marks such a page private, so it is looked up apart and passed.
    if (req.http.Cookie ~ "(^|;\s*)django_language=") {
        hash_data(regsub(req.http.Cookie, "^(.*;\s*)?django_language=([^;]*).*$", "\2"));
    }
    return (lookup);
}

sub vcl_backend_response {
    # Keep only what Django marked for a shared cache. Everything else passes by
    # (Varnish's own rules, which this file's vcl_recv skips, would keep a page
    # without Cache-Control for two minutes).
    if (beresp.http.Cache-Control !~ "(public|s-maxage)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Kept on the object for the bans above (the ban lurker reads objects, not requests).
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
