"""The settings a person chose for a master, validated by the engine's own rules."""

from __future__ import annotations

from masterbus.engine import EngineError, MasterSettings
from masterbus.mastering.errors import MasteringError


def settings_from_form(
    *,
    target_lufs: float,
    style: str,
    intensity: float,
    ceiling_dbtp: float = -1.0,
    eq_adjust: tuple[tuple[float, float], ...] | list = (),
    width: float = 100.0,
) -> dict:
    """Validate settings with the engine's own rules; returns the dict stored on the job.
    ``eq_adjust`` ((centre Hz, gain dB) pairs) and ``width`` (% of the side signal) are the
    listener's own moves on top of the style (e.g. the assistant's "less muddy" re-master)."""
    try:
        chosen = MasterSettings(
            target_lufs=target_lufs,
            style=style,
            intensity=intensity,
            ceiling_dbtp=ceiling_dbtp,
            eq_adjust=eq_adjust,
            width=width,
        )
    except EngineError as exc:
        raise MasteringError(str(exc)) from None
    return chosen.to_dict()
