"""The client's IP address, proxy-aware, and the keyed hash that is the only form in which an IP
is stored or used as a key (P16).

Behind N trusted proxies (``TRUSTED_PROXY_COUNT``), the client is the N-th address from the
right of X-Forwarded-For: each proxy appends the address it saw, so anything further left is
whatever the client chose to send. With 0 the header is never read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

_HASH_SALT = "masterbus.security.ip"
# IPv6 hosts get a whole /64 each: hashing single addresses would make limits easy to dodge.
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The client's address as the trusted proxies (or the socket) report it."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    # Fewer entries than proxies: a proxy did not add its hop; the socket address is all we know.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _network(ip: str) -> str:
    """One IPv4 address, or the /64 an IPv6 address is in; anything unparseable as given."""
    try:
        address = ipaddress.ip_address(ip.strip().strip("[]"))
    except ValueError:
        return ip.strip()
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def ip_hash(ip: str) -> str:
    """HMAC-SHA256 of the address's network with ``IP_HASH_KEY`` (or a key from SECRET_KEY)."""
    secret = settings.IP_HASH_KEY or settings.SECRET_KEY
    return salted_hmac(_HASH_SALT, _network(ip), secret=secret, algorithm="sha256").hexdigest()


def client_ip_hash(request: HttpRequest) -> str:
    """The keyed hash of the request's client address."""
    return ip_hash(client_ip(request))
