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

# The listener's own EQ moves (eq_adjust): broad bells, a few of them, never drastic.
EQ_ADJUST_MAX = 6
EQ_ADJUST_DB = 6.0
EQ_ADJUST_HZ = (20.0, 20000.0)
WIDTH_RANGE = (50.0, 150.0)


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
    # (centre Hz, gain dB) moves after the style curve, before dynamics and limiter (eq.adjust)
    eq_adjust: tuple[tuple[float, float], ...] = ()
    # percent of the side signal above the mono-safe bass (100: as the style leaves it)
    width: float = 100.0

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
        object.__setattr__(self, "eq_adjust", parse_eq_adjust(self.eq_adjust))
        low, high = WIDTH_RANGE
        if not _is_number(self.width):
            raise EngineError(f"width must be a number (percent), not {self.width!r}")
        if not low <= self.width <= high:
            raise EngineError(f"width {self.width:g} is out of range ({low:g} to {high:g} %)")
        object.__setattr__(self, "width", float(self.width))

    def to_dict(self) -> dict:
        """The settings as JSON stores them (the EQ moves as lists, as a job reads them back)."""
        data = asdict(self)
        data["eq_adjust"] = [list(pair) for pair in self.eq_adjust]
        return data


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_eq_adjust(value: object) -> tuple[tuple[float, float], ...]:
    """(centre Hz, gain dB) pairs from a tuple, a JSON list of pairs, or ``"250:-2.5"`` text."""
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise EngineError("EQ adjustments must be a list of (frequency Hz, gain dB) pairs")
    if len(value) > EQ_ADJUST_MAX:
        raise EngineError(f"at most {EQ_ADJUST_MAX} EQ adjustments, not {len(value)}")
    low, high = EQ_ADJUST_HZ
    pairs = []
    for pair in value:
        if isinstance(pair, str):
            pair = parse_eq_text(pair)
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise EngineError(f"EQ adjustment {pair!r} is not a (frequency Hz, gain dB) pair")
        freq, gain = pair
        if not (_is_number(freq) and _is_number(gain)):
            raise EngineError(f"EQ adjustment {list(pair)!r} must hold two numbers")
        if not low <= freq <= high:
            raise EngineError(
                f"EQ adjustment frequency {freq!r} is out of range ({low:g} to {high:g} Hz)"
            )
        if not -EQ_ADJUST_DB <= gain <= EQ_ADJUST_DB:
            raise EngineError(
                f"EQ adjustment gain {gain!r} at {freq:g} Hz is out of range "
                f"(-{EQ_ADJUST_DB:g} to +{EQ_ADJUST_DB:g} dB)"
            )
        pairs.append((float(freq), float(gain)))
    return tuple(pairs)


def parse_eq_text(text: str) -> tuple[float, float]:
    """``"250:-2.5"`` -> (250.0, -2.5): the command line's ``--eq`` form."""
    freq, sep, gain = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return float(freq), float(gain)
    except ValueError:
        raise EngineError(
            f"EQ adjustment {text!r} is not FREQ:GAIN (e.g. 250:-2.5 for -2.5 dB at 250 Hz)"
        ) from None
