"""A pluggable captcha for sign-up and contact forms (P6).

``settings.CAPTCHA_PROVIDER`` names the provider class. A provider has a ``widget()`` that draws
its challenge into the form and a ``verify(value)`` that raises ``ValidationError`` when the
answer is missing or wrong. Any form gets the configured captcha from ``CaptchaFormMixin``::

    class ContactForm(CaptchaFormMixin, forms.Form):
        message = forms.CharField(widget=forms.Textarea)

The offline default, ``SignedTimingCaptcha``, needs no internet and no third party, and asks a
person for nothing: the form carries a signed, one-time token of the moment it was drawn and a
hidden honeypot field. A post without a valid token (a bot that never loaded the form), a token
used twice, a form sent back faster than a person can fill it in (CAPTCHA_MIN_SECONDS), a token
older than CAPTCHA_MAX_AGE_SECONDS, or a filled-in honeypot is refused. "Used" holds across
every web process and host: the spent tokens are kept in the database
(``masterbus.core.spent_tokens``), not in a per-process cache. It stops the blind form
spam that hits every site; a site targeted by bots that drive real browsers configures a hosted
provider class instead.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from masterbus.core.spent_tokens import token_is_spent, token_spend

HONEYPOT_NAME = "website"
_SALT = "masterbus.captcha"


class CaptchaProvider(Protocol):
    def widget(self) -> forms.Widget: ...

    def verify(self, value: Any) -> None: ...


def get_captcha() -> CaptchaProvider:
    return import_string(settings.CAPTCHA_PROVIDER)()


def _read(token: str) -> dict:
    """The token's nonce and time of drawing; raises for a forged, altered or stale token."""
    try:
        return signing.loads(token, salt=_SALT, max_age=settings.CAPTCHA_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(
            "This form was open too long. Please send it again.", code="captcha_expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            "This form could not be verified. Please reload the page and send it again.",
            code="captcha_missing",
        ) from None


class SignedTimingWidget(forms.Widget):
    """Draws a fresh token, or the one sent back while it is still unused, so a person told
    "too fast" is not held up a second time."""

    input_type = "hidden"  # nothing to see: forms draw it without a label
    template_name = "accounts/captcha/signed_timing.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["token"] = self._reusable(value) or signing.dumps(
            {"n": secrets.token_urlsafe(16), "t": time.time()}, salt=_SALT
        )
        context["honeypot"] = HONEYPOT_NAME
        return context

    @staticmethod
    def _reusable(value: Any) -> str | None:
        token = value.get("token") if isinstance(value, dict) else None
        try:
            unused = bool(token) and not token_is_spent(purpose=_SALT, token_id=_read(token)["n"])
        except ValidationError:
            return None
        return token if unused else None

    def value_from_datadict(self, data, files, name: str) -> dict[str, str]:
        return {"token": data.get(name, ""), "trap": data.get(HONEYPOT_NAME, "")}

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return False


class SignedTimingCaptcha:
    def widget(self) -> forms.Widget:
        return SignedTimingWidget()

    def verify(self, value: dict[str, str]) -> None:
        if value.get("trap"):
            raise ValidationError("This form could not be accepted.", code="captcha_trap")
        data = _read(value.get("token", ""))
        if time.time() - data["t"] < settings.CAPTCHA_MIN_SECONDS:
            raise ValidationError(
                "This form was sent faster than a person can fill it in. Please send it again.",
                code="captcha_too_fast",
            )
        drawn = datetime.fromtimestamp(data["t"], tz=UTC)
        expires_at = drawn + timedelta(seconds=settings.CAPTCHA_MAX_AGE_SECONDS)
        if not token_spend(purpose=_SALT, token_id=data["n"], expires_at=expires_at):
            raise ValidationError(
                "This form was already sent once. Please send it again.", code="captcha_reused"
            )


class CaptchaFormMixin:
    """Adds the configured captcha as the field ``captcha`` of any Django form; a wrong answer
    is a form-wide error with the provider's message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.captcha = get_captcha()
        self.fields["captcha"] = forms.Field(widget=self.captcha.widget(), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        try:
            self.captcha.verify(self.cleaned_data.get("captcha"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned_data
