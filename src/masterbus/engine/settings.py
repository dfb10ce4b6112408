"""Mastering settings: targets, styles and delivery formats, validated in one place."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from masterbus.engine.errors import EngineError

TARGET_PRESETS: dict[str, float] = {
    "streaming": -14.0,
    "apple": -16.0,
    "loud": -9.0,
    "broadcast": -23.0,
}

STYLES: tuple[str, ...] = ("balanced", "warm", "bright", "open")

# Delivery formats: name -> (container, subtype, file extension).
FORMATS: dict[str, tuple[str, str, str]] = {
    "wav24": ("WAV", "PCM_24", "wav"),
    "wav16": ("WAV", "PCM_16", "wav"),
    "wav32f": ("WAV", "FLOAT", "wav"),
    "flac": ("FLAC", "PCM_24", "flac"),
    "mp3": ("MP3", "MPEG_LAYER_III", "mp3"),
}


def parse_target(value: str | float | int) -> float:
    """Turn a preset name or a number (LUFS) into a loudness target."""
    if isinstance(value, str):
        key = value.strip().lower()
        if key in TARGET_PRESETS:
            return TARGET_PRESETS[key]
        try:
            number = float(key)
        except ValueError:
            names = ", ".join(TARGET_PRESETS)
            raise EngineError(
                f"unknown loudness target {value!r}: use a number in LUFS or one of {names}"
            ) from None
    else:
        number = float(value)
    if not math.isfinite(number) or not -40.0 <= number <= -5.0:
        raise EngineError(f"loudness target {number:g} LUFS is out of range (-40 to -5)")
    return number


@dataclass(frozen=True)
class MasterSettings:
    """What the user asked for. ``target_lufs=None`` with a reference means: match its loudness."""

    target_lufs: float | None = -14.0
    ceiling_dbtp: float = -1.0
    style: str = "balanced"
    intensity: float = 50.0
    reference_amount: float = 80.0
    sample_rate: int | None = None
    # reference mode: also narrow the loudness range toward the reference's (engine/leveler.py)
    match_dynamics: bool = False

    def __post_init__(self) -> None:
        if self.target_lufs is not None:
            object.__setattr__(self, "target_lufs", parse_target(self.target_lufs))
        if not math.isfinite(self.ceiling_dbtp) or not -12.0 <= self.ceiling_dbtp <= 0.0:
            raise EngineError(f"ceiling {self.ceiling_dbtp:g} dBTP is out of range (-12 to 0)")
        if self.style not in STYLES:
            raise EngineError(f"unknown style {self.style!r}: use one of {', '.join(STYLES)}")
        for name in ("intensity", "reference_amount"):
            value = getattr(self, name)
            if not math.isfinite(value) or not 0.0 <= value <= 100.0:
                raise EngineError(f"{name.replace('_', ' ')} {value:g} is out of range (0 to 100)")
        if not isinstance(self.match_dynamics, bool):
            raise EngineError("match dynamics must be true or false")
        if self.sample_rate is not None and not 8000 <= self.sample_rate <= 192000:
            raise EngineError(f"sample rate {self.sample_rate} Hz is out of range")

    def to_dict(self) -> dict:
        return asdict(self)
