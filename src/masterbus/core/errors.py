"""Errors shared by every layer: JSON error answers ``{"code": ..., "message": ...}``.

Lower layers (the security middleware, the uploads endpoint) answer in the API's shape through
this module, so none of them imports the API app.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse


def error_json(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    """A JSON error answer: a stable code for programs, a sentence for people (and the field)."""
    body = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    response = JsonResponse(body, status=status)
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = "Bearer"
    return response


class DomainError(Exception):
    """What a person can fix, as every app's services raise it: ``code`` is stable (for programs,
    e.g. the API's ``code``), ``message`` is a sentence for people (``str(exc)`` too).

    Subclasses set a default ``code``; ``masterbus.api.errors`` maps codes to HTTP statuses in one
    place.
    """

    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
