"""Sets ``request.owner`` on every request; writes the guest cookie when one was created."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from masterbus.accounts.guests import read_guest_key, write_guest_cookie
from masterbus.accounts.owner import Owner


class OwnerMiddleware:
    """Must come after AuthenticationMiddleware: a signed-in user wins over a guest cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        request.owner = Owner(user=user, guest_key=None if user else read_guest_key(request))
        response = self.get_response(request)
        write_guest_cookie(request, response)
        return response
