"""The one-click unsubscribe page (P25), in a module of its own because it is the one view of
this app exempt from CSRF, by design: tests/privacy/test_csrf.py lists this module."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masterbus.core import access
from masterbus.profiles import services
from masterbus.profiles.tokens import user_id_from_token


@access.keyed_link
@csrf_exempt  # by design: RFC 8058 one-click POSTs from mail clients carry no CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not unsubscribe anyone); POST unsubscribes.
    The signed token is the only credential: it works signed out and can only switch off."""
    if user_id_from_token(token) is None:
        return render(request, "profiles/unsubscribe.html", {"bad": True}, status=400)
    if request.method == "GET":
        return render(request, "profiles/unsubscribe.html", {"token": token})
    services.marketing_unsubscribe(token=token)
    return render(request, "profiles/unsubscribe.html", {"done": True})
