"""Signal receivers: thin hooks that call services."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from masterbus.accounts.guests import forget_guest_cookie, read_guest_key
from masterbus.accounts.models import User
from masterbus.accounts.owner import Owner
from masterbus.accounts.services import guest_claim


def claim_guest_data_on_login(sender: type, request: HttpRequest | None, user: User, **_: object):
    if request is None:
        return
    key = read_guest_key(request)
    if key:
        guest_claim(guest_key=key, user=user)
    if settings.GUEST_COOKIE_NAME in request.COOKIES:
        forget_guest_cookie(request)  # its value is retired (or was already)
    request.owner = Owner(user=user, guest_key=None)
