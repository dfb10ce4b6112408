"""Every API error is ``{"code": ..., "message": ...}``: a stable code for programs, a sentence
for people; a validation error adds ``field``. Service errors map to codes here, once."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from masterbus.core.errors import DomainError, error_json
from masterbus.uploads.errors import STATUS_FOR_CODE as UPLOAD_STATUS_FOR_CODE

UNAUTHORIZED = "Send a valid API token as 'Authorization: Bearer <token>'."
NOT_FOUND = "There is no such job."
NOTHING_HERE = "There is nothing here."


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


# The answers every operation can give besides its own.
# 429 comes from the rate-limit middleware (masterbus.security), in the same shape, or from a
# per-owner quota (masterbus.mastering.quotas): code "rate_limited" (with Retry-After) or
# "quota_exceeded".
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class ApiError(DomainError):
    """An answer the API gives on purpose: status, stable code, message (and the field)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.field = field


# Every domain error's stable code and its HTTP status, in one place; a code not here is a 400.
# The uploads app's codes (its tus endpoint answers with the same statuses), the API's own
# refusal of a missing token, and the mastering services' refusals (masterbus.mastering.errors).
STATUS_FOR_CODE = {
    **UPLOAD_STATUS_FOR_CODE,
    "unauthorized": HTTPStatus.UNAUTHORIZED,
    "not_masterable": HTTPStatus.CONFLICT,
    "job_busy": HTTPStatus.CONFLICT,
    "last_version": HTTPStatus.CONFLICT,
    "order_state": HTTPStatus.CONFLICT,
    "slot_taken": HTTPStatus.CONFLICT,  # masterbus.studios.errors
    "booking_state": HTTPStatus.CONFLICT,
    "limit_reached": HTTPStatus.CONFLICT,
    "adult_required": HTTPStatus.FORBIDDEN,
    "terms_required": HTTPStatus.BAD_REQUEST,
    "quota_exceeded": HTTPStatus.TOO_MANY_REQUESTS,
    "rate_limited": HTTPStatus.TOO_MANY_REQUESTS,
}


def domain_error_json(exc: DomainError) -> JsonResponse:
    """Any service error as the API's JSON answer (with Retry-After when waiting helps)."""
    if isinstance(exc, ApiError):
        response = error_json(exc.status, exc.code, exc.message, field=exc.field)
    else:
        status = STATUS_FOR_CODE.get(exc.code, HTTPStatus.BAD_REQUEST)
        response = error_json(status, exc.code, exc.message)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _field(location: tuple) -> str:
    """("body", "payload", "ceiling", ...) -> "ceiling"; ("path", "job_id") -> "job_id"."""
    names = [str(part) for part in location[1:] if part != "payload"]
    return names[0] if names else str(location[0])


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    field = _field(tuple(first.get("loc", ("body",))))
    message = str(first.get("msg", "invalid input")).removeprefix("Value error, ")
    return error_json(422, "validation_error", f"{field}: {message}", field=field)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_json(401, "unauthorized", UNAUTHORIZED)
    return error_json(exc.status_code, "bad_request", str(exc.message))


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(DomainError, lambda r, e: domain_error_json(e))
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, lambda r, e: error_json(404, "not_found", NOTHING_HERE))
