"""The settings a person chose for a master, validated by the engine's own rules."""

from __future__ import annotations

from masterbus.engine import EngineError, MasterSettings
from masterbus.mastering.errors import MasteringError


def settings_from_form(
    *, target_lufs: float, style: str, intensity: float, ceiling_dbtp: float = -1.0
) -> dict:
    """Validate settings with the engine's own rules; returns the dict stored on the job."""
    try:
        chosen = MasterSettings(
            target_lufs=target_lufs, style=style, intensity=intensity, ceiling_dbtp=ceiling_dbtp
        )
    except EngineError as exc:
        raise MasteringError(str(exc)) from None
    return chosen.to_dict()
