"""How many contributions one client may send to one dialog in a while.

Counted in the site's cache (``django.core.cache.cache``), so every server
process sees the same count when the cache is shared (Redis in production and
CI). A client is known only by a keyed hash of its address: the raw address is
never stored, neither in the cache nor in the database. ``cache.add`` and
``cache.incr`` are atomic on the shared backends, so two processes counting at
once cannot both slip under the limit.

A fixed window: the first contribution starts it, and it ends
RATE_LIMIT_WINDOW seconds later. WAGTAIL_DIALOG_RATE_LIMIT = None turns the
limit off.
"""

import ipaddress
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext

from wagtail_dialog.conf import dialog_setting

KEY_PREFIX = "wagtail_dialog:rate"
_SALT = "wagtail_dialog.contributions.ratelimit"


@dataclass(frozen=True)
class Limit:
    count: int
    window: int  # seconds


def current_limit(setting="RATE_LIMIT"):
    """The limit that ``setting`` (RATE_LIMIT, or another count such as VOTE_RATE_LIMIT) sets, in
    RATE_LIMIT_WINDOW; None when it is off."""
    count = dialog_setting(setting)
    if count is None:
        return None
    return Limit(int(count), max(1, int(dialog_setting("RATE_LIMIT_WINDOW"))))


def client_address(request):
    """The client's address: REMOTE_ADDR, or the proxy header the site trusts.

    With WAGTAIL_DIALOG_TRUSTED_PROXY_HEADER set (e.g. "X-Forwarded-For"), the
    right-most address in that header is used: the one the site's own proxy
    added. Addresses further left come from the client and could be anything.
    """
    header = dialog_setting("TRUSTED_PROXY_HEADER")
    if header:
        if header.upper().startswith("HTTP_"):
            value = request.META.get(header.upper(), "")
        else:
            value = request.headers.get(header, "")
        candidates = [part.strip() for part in str(value).split(",") if part.strip()]
        if candidates:
            return candidates[-1]
    return request.META.get("REMOTE_ADDR", "")


def _normalised(address):
    # One IPv6 client usually holds a whole /64 and can change address within
    # it at will, so the /64 is the client. IPv4 inside IPv6 counts as IPv4.
    try:
        ip = ipaddress.ip_address(address.strip().split("%")[0])
    except ValueError:
        return address.strip()
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(request, dialog, scope=""):
    """The cache key for this client and dialog: a keyed hash, never the address.
    A ``scope`` counts something other than contributions (the survey) apart."""
    digest = getattr(request, "_wagtail_dialog_client", None)
    if digest is None:
        # salted_hmac keys the hash with settings.SECRET_KEY, so the key cannot be
        # turned back into an address by hashing every possible address.
        digest = salted_hmac(_SALT, _normalised(client_address(request)), algorithm="sha256").hexdigest()
        request._wagtail_dialog_client = digest  # asked twice per contribution
    prefix = f"{KEY_PREFIX}:{scope}" if scope else KEY_PREFIX
    return f"{prefix}:{dialog.pk}:{digest}"


def is_limited(request, dialog, scope="", setting="RATE_LIMIT"):
    """Whether the client has already used up its contributions (nothing is counted)."""
    limit = current_limit(setting)
    if limit is None:
        return False
    try:
        return int(cache.get(client_key(request, dialog, scope)) or 0) >= limit.count
    except (TypeError, ValueError):
        return False


def count(request, dialog, scope="", setting="RATE_LIMIT"):
    """Count one contribution; False when it is over the limit and must be refused."""
    limit = current_limit(setting)
    if limit is None:
        return True
    key = client_key(request, dialog, scope)
    # Increment first: within a window (the common case when it matters) that
    # is the one cache operation; only the first contribution also adds the key.
    for _attempt in range(3):
        try:
            used = cache.incr(key)
        except ValueError:  # no window yet: this contribution opens one
            if cache.add(key, 1, timeout=limit.window):
                return limit.count >= 1
            continue  # another process opened it meanwhile: count in it
        if used == 1:
            # The key expired between the backend's check and its increment,
            # and Redis's INCR made a new one without expiry: give it one, or
            # the client would stay limited for good.
            cache.touch(key, limit.window)
        return used <= limit.count
    return False


def refusal_message():
    """What a client over the limit is told, in the active language."""
    limit = current_limit()
    if limit is None:
        return gettext("Wait a while and send it again.")
    minutes = max(1, -(-limit.window // 60))  # rounded up
    period = ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}
    return ngettext(
        "You can send at most %(count)d contribution in %(period)s. Wait a while and send it again; what you "
        "wrote is still in the form.",
        "You can send at most %(count)d contributions in %(period)s. Wait a while and send it again; what you "
        "wrote is still in the form.",
        limit.count,
    ) % {"count": limit.count, "period": period}
