"""The song's own measurements, read for the assistant: the master's long-term spectrum against
the style's target, per band (the engine's meter wrote them into the job's report)."""

from __future__ import annotations

import numpy as np

from masterbus.engine import eq


def band_deviation(analysis: dict, style: str, centre_hz: float) -> float | None:
    """How many dB the measured balance sits above (+) or below (-) the style's target over the
    octave around ``centre_hz``; None without a usable spectrum."""
    spectrum = (analysis or {}).get("spectrum") or {}
    freqs = np.array(spectrum.get("freqs_hz") or [], dtype=float)
    mid = np.array(spectrum.get("mid_db") or [], dtype=float)
    if len(freqs) < 8 or len(freqs) != len(mid):
        return None
    style = style if style in eq.STYLE_OFFSETS else "balanced"
    measured = eq.relative_balance(mid, freqs)
    target = eq.relative_balance(eq.style_target(style, freqs), freqs)
    near = (freqs >= centre_hz / np.sqrt(2)) & (freqs <= centre_hz * np.sqrt(2))
    if not near.any() or (mid[near] < mid.max() - 60).all():
        return None  # nothing there to judge (no content in that band)
    return round(float((measured - target)[near].mean()), 1)


def _bell_db(freqs: np.ndarray, centre: float, gain: float) -> np.ndarray:
    """The engine's listener move (eq.adjust), approximated: a one-octave bell, or a shelf
    under 80 Hz / over 10 kHz."""
    octaves = np.log2(freqs / centre)
    if centre < eq.ADJUST_LOW_SHELF_HZ:
        return gain / (1 + np.exp(4 * octaves))
    if centre > eq.ADJUST_HIGH_SHELF_HZ:
        return gain / (1 + np.exp(-4 * octaves))
    return gain * np.exp(-(octaves**2) / (2 * 0.425**2))


def _k_weight_db(freqs: np.ndarray) -> np.ndarray:
    """BS.1770's K-weighting, roughly: +4 dB above about 2 kHz, falling below 100 Hz."""
    high = 4.0 / (1 + np.exp(-3 * np.log2(freqs / 1500)))
    low = -12.0 / (1 + np.exp(4 * np.log2(freqs / 50)))
    return high + low


def loudness_change(analysis: dict, moves: list[tuple[float, float]]) -> float | None:
    """How much the integrated loudness would change (dB) with these EQ moves on this spectrum;
    the master is brought back to its target afterwards, so every band moves by minus this."""
    spectrum = (analysis or {}).get("spectrum") or {}
    freqs = np.array(spectrum.get("freqs_hz") or [], dtype=float)
    mid = np.array(spectrum.get("mid_db") or [], dtype=float)
    if len(freqs) < 8 or len(freqs) != len(mid):
        return None
    power = 10 ** ((mid + _k_weight_db(freqs)) / 10)
    shaped = sum((_bell_db(freqs, c, g) for c, g in moves), np.zeros(len(freqs)))
    return float(10 * np.log10(np.sum(power * 10 ** (shaped / 10)) / np.sum(power)))
