"""What the song and album pages share: a form run through a mastering service (upload or
re-master), the refusal's status, the re-master form's starting point and the poll interval."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.http import HttpResponse

from masterbus.engine import TARGET_PRESETS
from masterbus.mastering.errors import MasteringError, QuotaError
from masterbus.uploads.errors import UploadError

STATUS_POLL_SECONDS = 1

Made = TypeVar("Made")


def form_submit(
    form: forms.Form, create: Callable[[dict], Made]
) -> tuple[Made | None, Exception | None]:
    """Validate ``form`` and run ``create(cleaned_data)`` (a service call).

    Returns (what was made, None); or (None, None) for an invalid form; or (None, the error)
    when the service refused, the error's message then being on the form for the person.
    """
    if not form.is_valid():
        return None, None
    try:
        return create(form.cleaned_data), None
    except (UploadError, MasteringError) as exc:
        form.add_error(None, getattr(exc, "message", None) or str(exc))
        return None, exc


def refused(response: HttpResponse, error: Exception | None) -> HttpResponse:
    """A form page that refused the request: 429 (with Retry-After when waiting helps) when a
    quota refused it, else as rendered (400)."""
    if isinstance(error, QuotaError):
        response.status_code = 429
        if error.retry_after is not None:
            response["Retry-After"] = str(error.retry_after)
    return response


def initial_settings(chosen: dict | None) -> dict:
    """A version's settings as the re-master form's starting point."""
    chosen = chosen or {}
    target = chosen.get("target_lufs")
    preset = next((name for name, lufs in TARGET_PRESETS.items() if lufs == target), "custom")
    return {
        "target": preset,
        "custom_lufs": target if preset == "custom" else None,
        "style": chosen.get("style", "balanced"),
        "intensity": int(chosen.get("intensity", 50)),
    }
