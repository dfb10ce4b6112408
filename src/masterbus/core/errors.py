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
