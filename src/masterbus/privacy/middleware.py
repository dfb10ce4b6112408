"""Sets ``request.consent`` and keeps responses from setting cookies the visitor has not allowed.

Listed right after SecurityMiddleware, so its response step sees the cookies of every other
middleware (session, CSRF, messages, guest). A cookie missing from the registry is dropped too,
and logged: the registry test should have caught it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from masterbus.privacy.consent import read_consent
from masterbus.privacy.cookies import storage_items

logger = logging.getLogger(__name__)


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.consent = read_consent(request)
        response = self.get_response(request)
        categories = {i.name: i.category for i in storage_items() if i.where == "cookie"}
        for name in list(response.cookies):
            category = categories.get(name)
            if category is None:
                logger.error("cookie %r is not in the cookie registry: not set", name)
            removal = response.cookies[name]["max-age"] == 0  # forgetting is always allowed
            if category is None or not (removal or request.consent.allows(category)):
                del response.cookies[name]
        return response
