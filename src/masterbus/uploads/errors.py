"""Upload errors: a stable code for programs (and the HTTP status), a sentence for people."""

from __future__ import annotations

from http import HTTPStatus

from masterbus.core.errors import DomainError

# The HTTP status for each stable error code; the API reuses these codes in its JSON errors.
STATUS_FOR_CODE = {
    "bad_request": HTTPStatus.BAD_REQUEST,
    "empty_file": HTTPStatus.BAD_REQUEST,
    "not_found": HTTPStatus.NOT_FOUND,
    "offset_mismatch": HTTPStatus.CONFLICT,
    "already_complete": HTTPStatus.CONFLICT,
    "not_complete": HTTPStatus.CONFLICT,
    "expired": HTTPStatus.GONE,
    "upload_failed": HTTPStatus.GONE,
    "length_required": HTTPStatus.LENGTH_REQUIRED,
    "unsupported_version": HTTPStatus.PRECONDITION_FAILED,
    "too_large": HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    "wrong_content_type": HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    "not_audio": HTTPStatus.UNPROCESSABLE_ENTITY,
    "locked": HTTPStatus.LOCKED,
    "quota_exceeded": HTTPStatus.TOO_MANY_REQUESTS,
    "rate_limited": HTTPStatus.TOO_MANY_REQUESTS,
}


class UploadError(DomainError):
    """Raised by the upload services; ``code`` is stable, ``message`` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)
