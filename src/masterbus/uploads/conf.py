"""Upload limits and windows, read from settings at call time so tests can change them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULT_MAX_UPLOAD_BYTES = 500 * 1000 * 1000
DEFAULT_MAX_AUDIO_SECONDS = 20 * 60
# An unfinished upload can be resumed for a day; after that its bytes are purged.
DEFAULT_UPLOAD_EXPIRY_SECONDS = 24 * 3600


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def max_audio_seconds() -> float:
    return float(getattr(settings, "MAX_AUDIO_SECONDS", DEFAULT_MAX_AUDIO_SECONDS))


def upload_expiry() -> timedelta:
    return timedelta(
        seconds=int(getattr(settings, "UPLOAD_EXPIRY_SECONDS", DEFAULT_UPLOAD_EXPIRY_SECONDS))
    )
