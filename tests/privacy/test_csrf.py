"""P5: every state-changing request is CSRF-protected. Walks every URL pattern of the project
and posts without a token, as a cross-site form would; only views exempt by design may accept.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

pytestmark = pytest.mark.django_db

# Views that accept requests without a CSRF token, by module prefix, and why that is safe.
EXEMPT_BY_DESIGN = {
    "masterbus.api.": "JSON API authenticated by a bearer token, not by the browser's cookies",
    "ninja.": "the JSON API's operations (see masterbus.api.)",
    "masterbus.profiles.unsubscribe": "one-click unsubscribe (RFC 8058): mail clients POST "
    "without a token; the signed link is the credential and it can only switch email off",
    "masterbus.payments.webhook_view": "the payment provider POSTs signed events (P19): the "
    "signature is the credential, and an event only names a payment whose state is read back",
}
SAMPLES = {"uuid": str(uuid.UUID(int=0)), "int": "1", "str": "x", "path": "x", "slug": "x"}


def routes(patterns=None, prefix: str = ""):
    """(example path, pattern) for every URL pattern; parameters get sample values."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "abc", route)
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + route)
        else:
            assert isinstance(pattern, URLPattern)
            yield "/" + prefix + route, pattern


def exempt_by_design(callback) -> bool:
    module = getattr(callback, "__module__", "") or ""
    return any(module.startswith(prefix) for prefix in EXEMPT_BY_DESIGN)


def test_every_url_refuses_a_post_without_a_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)  # a signed-in victim: the case CSRF protection is for
    checked = 0
    for path, _pattern in routes():
        callback = resolve(path).func  # the view Django really dispatches this path to
        if exempt_by_design(callback):
            continue
        response = browser.post(path, {"choice": "all"})
        assert response.status_code == 403, f"{path} accepted a POST without a CSRF token"
        checked += 1
    assert checked > 50  # the walk really covered the site (pages, accounts, uploads, admin)
