"""Signal receivers: thin hooks from Django's and allauth's sign-in signals to the services."""

from __future__ import annotations

from django.http import HttpRequest

from masterbus.security import services
from masterbus.security.models import EventKind


def on_logged_in(sender: type, request: HttpRequest | None, user, **_: object) -> None:
    if request is None or not hasattr(request, "session"):
        return
    services.sign_in_session_start(request=request, user=user)
    services.security_event_record(kind=EventKind.SIGN_IN, user=user, request=request)


def on_logged_out(sender: type, request: HttpRequest | None, user, **_: object) -> None:
    if request is not None:
        services.sign_in_session_end(request=request, user=user)


def on_login_failed(sender: str, credentials: dict, request: HttpRequest | None = None, **_):
    email = credentials.get("email") or credentials.get("username") or ""
    services.security_event_record_failed_sign_in(request=request, email=str(email))


def _recorder(kind: EventKind):
    """A receiver that logs ``kind`` for the signal's user and request."""

    def receive(sender: object, request: HttpRequest | None = None, user=None, **_: object):
        if user is not None:
            services.security_event_record(kind=kind, user=user, request=request)

    return receive


on_password_changed = _recorder(EventKind.PASSWORD_CHANGED)
on_password_reset = _recorder(EventKind.PASSWORD_RESET)
on_email_changed = _recorder(EventKind.EMAIL_CHANGED)
_on_mfa_enabled = _recorder(EventKind.MFA_ENABLED)
_on_mfa_disabled = _recorder(EventKind.MFA_DISABLED)


def _second_factor(authenticator) -> bool:
    """TOTP and security keys switch two-factor sign-in; recovery codes only come with them."""
    return authenticator.type != "recovery_codes"


def on_authenticator_added(sender: object, authenticator=None, **kwargs: object) -> None:
    if authenticator is not None and _second_factor(authenticator):
        _on_mfa_enabled(sender, **kwargs)


def on_authenticator_removed(sender: object, authenticator=None, **kwargs: object) -> None:
    if authenticator is not None and _second_factor(authenticator):
        _on_mfa_disabled(sender, **kwargs)
