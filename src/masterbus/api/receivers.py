"""Signal receivers: what ends the account's other access ends its API tokens too."""

from __future__ import annotations

from django.http import HttpRequest

from masterbus.api.services import token_revoke_all


def _revoker(reason: str):
    """A receiver that revokes every token of the signal's user, giving ``reason``."""

    def receive(sender: object, request: HttpRequest | None = None, user=None, **_: object):
        if user is None:
            return 0
        return token_revoke_all(user=user, reason=reason, request=request)

    return receive


on_password_changed = _revoker("the password was changed")
on_password_set = _revoker("a password was set")
on_password_reset = _revoker("the password was reset")
on_other_sessions_ended = _revoker("all other sessions were signed out")
