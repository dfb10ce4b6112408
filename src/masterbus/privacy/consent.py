"""Cookie consent (P28): what the visitor allowed, read from the essential consent cookie and
the browser's Do-Not-Track / Global Privacy Control signals.

Without a recorded choice nothing optional is allowed; the signals switch analytics off whatever
the cookie says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from masterbus.privacy.cookies import OPTIONAL_CATEGORIES, Category

_FORMAT = "1"  # cookie value: "<format>:<granted categories joined by '.'>"


@dataclass(frozen=True)
class Consent:
    granted: frozenset[Category]
    asked: bool  # the visitor has made a choice (the banner is not shown again)
    opted_out_by_signal: bool  # Do-Not-Track or Global Privacy Control

    def allows(self, category: Category) -> bool:
        if category is Category.ESSENTIAL:
            return True
        if category is Category.ANALYTICS and self.opted_out_by_signal:
            return False
        return category in self.granted

    @property
    def functional(self) -> bool:
        return self.allows(Category.FUNCTIONAL)

    @property
    def analytics(self) -> bool:
        return self.allows(Category.ANALYTICS)


def read_consent(request: HttpRequest) -> Consent:
    """The request's consent; an unreadable cookie counts as no choice yet."""
    signal = request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"
    granted = _decode(request.COOKIES.get(settings.CONSENT_COOKIE_NAME, ""))
    return Consent(
        granted=granted or frozenset(), asked=granted is not None, opted_out_by_signal=signal
    )


def write_consent_cookie(response: HttpResponse, granted: Iterable[Category]) -> None:
    chosen = sorted({Category(c) for c in granted} & set(OPTIONAL_CATEGORIES))
    response.set_cookie(
        settings.CONSENT_COOKIE_NAME,
        f"{_FORMAT}:{'.'.join(chosen)}",
        max_age=settings.CONSENT_COOKIE_AGE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _decode(value: str) -> frozenset[Category] | None:
    version, sep, names = value.partition(":")
    if version != _FORMAT or not sep:
        return None
    optional = {c.value for c in OPTIONAL_CATEGORIES}
    parts = [n for n in names.split(".") if n]
    if any(n not in optional for n in parts):
        return None
    return frozenset(Category(n) for n in parts)
