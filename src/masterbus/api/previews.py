"""Style previews of a finished upload: ask for them, poll them, download each one.

A set is one loudness target and intensity: about 30 s of the song in every style plus the
original, all at the same loudness. Master the song with a preview's ``settings`` (``POST
/jobs``) to get exactly that sound for the whole song.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field, WithJsonSchema, field_validator

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.core.files import stored_file_response
from masterbus.engine import TARGET_PRESETS, EngineError, parse_target
from masterbus.uploads.models import PreviewSet
from masterbus.uploads.presenters import preview_names, preview_set_out
from masterbus.uploads.selectors import (
    preview_file_name,
    preview_set_get_for_owner,
    upload_get_for_owner,
)
from masterbus.uploads.services.previews import preview_set_request

router = Router(tags=["previews"])
PreviewName = Literal[tuple(preview_names())]  # type: ignore[valid-type]
TARGET_SCHEMA = {
    "anyOf": [
        {"type": "string", "enum": list(TARGET_PRESETS)},
        {"type": "number", "minimum": -40, "maximum": -5},
    ],
    "description": "LUFS or a preset",
}


class PreviewRequest(Schema):
    target: Annotated[str | float, WithJsonSchema(TARGET_SCHEMA)] = "streaming"
    intensity: float = Field(
        50, ge=0, le=100, multiple_of=1, strict=True, description="0 (gentle) to 100 (strong)"
    )

    @field_validator("target")
    @classmethod
    def _target(cls, value):
        if isinstance(value, str) and value not in TARGET_PRESETS:
            raise ValueError(f"use a number in LUFS or one of {', '.join(TARGET_PRESETS)}")
        try:
            return parse_target(value)
        except EngineError as exc:
            raise ValueError(str(exc)) from None


class PreviewOut(Schema):
    name: str
    label: str
    url: str
    settings: dict | None = Field(description="the settings that master the song like this")
    loudness_lufs: float | None
    true_peak_dbtp: float | None


class PreviewSetOut(Schema):
    id: UUID
    upload_id: UUID
    intensity: int
    target_lufs: float
    status: Literal["queued", "running", "done", "failed"]
    error: str | None
    window_s: list[float] | None = Field(description="where in the song the excerpt is")
    match_lufs: float | None = Field(description="the loudness every preview plays at")
    previews: list[PreviewOut]


def _out(preview_set: PreviewSet) -> dict:
    def file_url(name: str) -> str:
        return reverse("api:preview_file", args=[preview_set.upload_id, preview_set.pk, name])

    return preview_set_out(preview_set, file_url)


@router.post(
    "/{upload_id}/previews",
    response={202: PreviewSetOut, 409: ErrorOut, **ERRORS},
    url_name="previews_create",
)
def preview_set_create(request: HttpRequest, upload_id: UUID, payload: PreviewRequest):
    """Previews of a finished upload at a target and intensity (the same again gives the same
    set); poll the set until its status is ``done``, usually a few seconds.

    409 ``not_complete`` before the upload finished; 429 ``quota_exceeded`` past the sets an
    upload may have, ``rate_limited`` past the owner's rate.
    """
    preview_set = preview_set_request(
        owner=request.owner,
        upload=upload_get_for_owner(request.owner, upload_id),
        intensity=int(payload.intensity),
        target_lufs=payload.target,
    )
    return Status(202, _out(preview_set))


@router.get(
    "/{upload_id}/previews", response={200: list[PreviewSetOut], **ERRORS}, url_name="previews"
)
def preview_set_list(request: HttpRequest, upload_id: UUID):
    """Every preview set of the upload, oldest first."""
    upload = upload_get_for_owner(request.owner, upload_id)
    return [_out(found) for found in upload.preview_sets.all()]


@router.get(
    "/{upload_id}/previews/{set_id}",
    response={200: PreviewSetOut, **ERRORS},
    url_name="preview_set",
)
def preview_set_get(request: HttpRequest, upload_id: UUID, set_id: UUID):
    """One set's status; once ``done``, every preview with its URL and settings."""
    return _out(preview_set_get_for_owner(request.owner, upload_id, set_id))


@router.get(
    "/{upload_id}/previews/{set_id}/files/{name}",
    response={200: None, 409: ErrorOut, **ERRORS},
    url_name="preview_file",
    openapi_extra={
        "responses": {200: {"description": "The preview (WAV)", "content": {"audio/*": {}}}}
    },
)
def preview_file(request: HttpRequest, upload_id: UUID, set_id: UUID, name: PreviewName):
    """One preview's audio, 16-bit WAV (Range requests work)."""
    preview_set = preview_set_get_for_owner(request.owner, upload_id, set_id)
    stored = preview_file_name(preview_set, name)
    if stored is None:
        raise ApiError(409, "not_ready", "The previews are not ready: poll the set until done.")
    return stored_file_response(request, stored, filename=f"preview-{name}.wav", as_attachment=True)
