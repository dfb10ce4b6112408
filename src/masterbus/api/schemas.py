"""What the API reads and writes.

The engine (``MasterSettings``) checks every option; the ranges written here only describe them
in the OpenAPI schema, and the schemathesis test fails if the two ever disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from masterbus.engine import STYLES, TARGET_PRESETS, EngineError, MasterSettings
from masterbus.mastering.services.albums import ALBUM_MAX_TRACKS

# API option name -> the engine's MasterSettings field it sets.
ENGINE_FIELDS = {
    "target": "target_lufs",
    "ceiling": "ceiling_dbtp",
    "style": "style",
    "intensity": "intensity",
    "amount": "reference_amount",
    "eq_adjust": "eq_adjust",
    "width": "width",
}
DEFAULT_TARGET_LUFS = -14.0


# Checked by the engine at run time (for its messages); the schema says what it accepts.
TARGET_SCHEMA = {
    "anyOf": [
        {"type": "string", "enum": list(TARGET_PRESETS)},
        {"type": "number", "minimum": -40, "maximum": -5},
        {"type": "null"},
    ],
    "description": "LUFS or a preset; default -14, or the reference's loudness",
}


def _number(low: float, high: float):
    """A JSON number in [low, high] (a string of digits is not a number)."""
    return Annotated[float, Field(ge=low, le=high, strict=True)]


class MasterOptions(Schema):
    """The command line's options: ``masterbus master --target --ceiling --style ...``."""

    target: Annotated[str | float | None, WithJsonSchema(TARGET_SCHEMA)] = None
    ceiling: _number(-12, 0) = Field(-1.0, description="true-peak ceiling in dBTP")
    style: Literal[STYLES] = "balanced"  # type: ignore[valid-type]
    intensity: _number(0, 100) = Field(50.0, description="0 (gentle) to 100 (strong)")
    reference_upload_id: UUID | None = Field(
        None, description="a finished upload whose loudness and tone to match"
    )
    amount: _number(0, 100) = Field(80.0, description="reference match amount in %")
    eq_adjust: list[tuple[_number(20, 20000), _number(-6, 6)]] = Field(
        default_factory=list,
        max_length=6,
        description="your own broad EQ moves after the style: [centre Hz, gain dB] pairs",
    )
    width: _number(50, 150) = Field(100.0, description="stereo width in % of the side signal")

    @field_validator(*ENGINE_FIELDS)
    @classmethod
    def _engine_check(cls, value, info: ValidationInfo):
        """Each option checked alone by the engine, so the error names its field."""
        if info.field_name == "target" and isinstance(value, str) and value not in TARGET_PRESETS:
            raise ValueError(f"use a number in LUFS or one of {', '.join(TARGET_PRESETS)}")
        if value is not None:
            try:
                MasterSettings(**{ENGINE_FIELDS[info.field_name]: value})
            except EngineError as exc:
                raise ValueError(str(exc)) from None
        return value

    def master_settings(self) -> dict:
        """The settings stored on the job, as the engine reads them back."""
        target = self.target
        if target is None and self.reference_upload_id is None:
            target = DEFAULT_TARGET_LUFS
        return MasterSettings(
            target_lufs=target,
            ceiling_dbtp=self.ceiling,
            style=self.style,
            intensity=self.intensity,
            reference_amount=self.amount,
            eq_adjust=self.eq_adjust,
            width=self.width,
        ).to_dict()


class JobCreate(MasterOptions):
    upload_id: UUID


class DeliveryOut(Schema):
    format: str
    size: int
    url: str


class AlbumCreate(MasterOptions):
    upload_ids: list[UUID] = Field(
        min_length=1,
        max_length=ALBUM_MAX_TRACKS,
        description="finished uploads, in track order; each becomes a song of the album",
    )
    title: str = Field("", max_length=200, description="the album's name")


class PageQuery(Schema):
    """limit/offset paging; any other query parameter is refused (a typo is not ignored)."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(50, ge=1, le=100, description="items per page")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="items to skip (newest first)")


class JobOut(Schema):
    id: UUID
    song_id: UUID
    album_id: UUID | None = Field(description="set when the job masters an album's track")
    title: str
    version: int
    status: Literal["queued", "analysing", "mastering", "done", "failed"]
    progress: float
    stage: str
    error: str | None
    settings: dict
    reference_name: str | None
    created_at: datetime
    finished_at: datetime | None
    playable: bool = Field(
        description="the WAV 24 master can be played and downloaded, and the report read, "
        "while the other formats may still be preparing"
    )
    formats: dict[str, Literal["ready", "preparing", "failed"]] = Field(
        description="each delivery format's state; a format is in deliveries once ready"
    )
    report_url: str | None
    deliveries: list[DeliveryOut]


class JobPage(Schema):
    count: int = Field(description="all of the owner's jobs")
    next: str | None = Field(description="the next page, or null on the last")
    previous: str | None = Field(description="the previous page, or null on the first")
    items: list[JobOut]


class AlbumTrackOut(Schema):
    track: int
    album_target_lufs: float | None = Field(
        description="the loudness the album gave this track (once mastered)"
    )
    job: JobOut


class AlbumOut(Schema):
    id: UUID
    title: str
    version: int
    versions: list[int]
    status: Literal["queued", "analysing", "mastering", "done", "failed"]
    progress: float
    settings: dict
    reference_name: str | None
    created_at: datetime
    tracks: list[AlbumTrackOut]


class AlbumPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[AlbumOut]
