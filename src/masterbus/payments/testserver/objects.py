"""The test server's shared helpers: Stripe's error shape, ids, parameters and card brands."""

from __future__ import annotations

import secrets


class ApiError(Exception):
    """Answered as Stripe does: ``{"error": {"type", "message", "code"}}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: str = "invalid_request_error",
        code: str = "",
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code
        self.extra = extra or {}

    def body(self) -> dict:
        error = {"type": self.kind, "message": self.message, **self.extra}
        if self.code:
            error["code"] = self.code
        return {"error": error}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _int(params: dict, name: str, *, minimum: int = 0) -> int:
    try:
        value = int(params[name])
    except (KeyError, ValueError) as error:
        raise ApiError(400, f"Missing or invalid integer: {name}") from error
    if value < minimum:
        raise ApiError(400, f"Invalid {name}: must be at least {minimum}")
    return value


def public(obj: dict) -> dict:
    """The object as the API shows it (our bookkeeping fields start with "_")."""
    return {key: value for key, value in obj.items() if not key.startswith("_")}


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or number[:1] == "2":
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    return "unknown"
