"""Counts page views for first-party analytics (P27, P28, P33) and forgets the theme cookie
once functional cookies are no longer allowed.

After OwnerMiddleware: it needs ``request.user`` and ``request.consent``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from masterbus.profiles import selectors, services

NOT_COUNTED_NAMESPACES = {"admin"}


class ProfileMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        route = _page_route(request, response)
        if route and selectors.analytics_allowed(request):
            services.pageview_count(route=route, day=timezone.localdate())
        if settings.THEME_COOKIE_NAME in request.COOKIES and not request.consent.functional:
            response.delete_cookie(settings.THEME_COOKIE_NAME, samesite="Lax")
        return response


def _page_route(request: HttpRequest, response: HttpResponse) -> str | None:
    """The route name of a full page shown to a person; None for anything else (files, API,
    htmx fragments, errors, redirects)."""
    match = request.resolver_match
    if (
        match is None
        or request.method != "GET"
        or response.status_code != 200
        or "HX-Request" in request.headers
        or not response.get("Content-Type", "").startswith("text/html")
        or NOT_COUNTED_NAMESPACES & set(match.namespaces)
    ):
        return None
    return match.view_name or match.route
