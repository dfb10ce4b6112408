"""Upload errors: a stable code for programs (and the HTTP status), a sentence for people."""

from __future__ import annotations


class UploadError(Exception):
    """Raised by the upload services; ``code`` is stable, ``message`` is for a person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
