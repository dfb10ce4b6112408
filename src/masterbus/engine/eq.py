"""Tonal EQ: target curves by style and fitting a few musical filters (reference mode's
matching EQ is ``matching``).

The EQ corrects broad tonal balance only (octave-wide bands and shelves), never narrow
resonances: an automatic master must not "fix" the character of the music.
"""

from __future__ import annotations

import numpy as np

from masterbus.engine import filters

# Long-term 1/3-octave balance of well-mastered popular music relative to the 1 kHz band (dB).
# A broad average across genres: lows above the mids, a steady fall toward the top.
BALANCED = {
    25: -3.0, 40: 4.0, 63: 6.5, 100: 6.5, 160: 5.0, 250: 3.5, 400: 2.0, 630: 1.0, 1000: 0.0,
    1600: -1.5, 2500: -3.0, 4000: -4.5, 6300: -6.5, 10000: -9.0, 16000: -14.0, 20000: -20.0,
}  # fmt: skip

# Style offsets on top of the balanced curve (dB at full intensity).
STYLE_OFFSETS = {
    "balanced": {},
    "warm": {63: 1.0, 160: 1.5, 250: 1.5, 630: 0.5, 4000: -1.0, 8000: -2.0, 16000: -2.5},
    "bright": {63: -0.5, 160: -1.0, 2500: 0.5, 4000: 1.5, 8000: 2.5, 16000: 3.0},
    "open": {250: -1.0, 400: -1.5, 630: -0.5, 6300: 0.5, 10000: 2.0, 16000: 2.5},
}
STYLE_WIDTH = {"balanced": 1.0, "warm": 0.97, "bright": 1.03, "open": 1.12}

MAX_BAND_DB = 6.0
FIT_LO_HZ, FIT_HI_HZ = 35.0, 16500.0
SUBSONIC_HZ = 20.0
HIGH_RATE = 88200  # at and above this rate the master is low-passed at ULTRASONIC_HZ
ULTRASONIC_HZ = 30000.0

# The filter bank the correction is fitted to: (kind, frequency, Q or slope).
BANK = (
    ("low_shelf", 90.0, 0.7),
    ("peak", 180.0, 1.0),
    ("peak", 360.0, 1.0),
    ("peak", 720.0, 1.0),
    ("peak", 1440.0, 1.0),
    ("peak", 2900.0, 1.0),
    ("peak", 5800.0, 1.0),
    ("high_shelf", 9500.0, 0.7),
)


def curve_at(points: dict[float, float], freqs: np.ndarray) -> np.ndarray:
    """Interpolate a sparse {Hz: dB} curve on a log-frequency axis."""
    if not points:
        return np.zeros(len(freqs))
    xs = np.log2(np.array(sorted(points)))
    ys = np.array([points[k] for k in sorted(points)])
    return np.interp(np.log2(freqs), xs, ys)


def style_target(style: str, freqs: np.ndarray) -> np.ndarray:
    return curve_at(BALANCED, freqs) + curve_at(STYLE_OFFSETS[style], freqs)


def relative_balance(bands_db: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Shift a spectrum so its 200 Hz - 5 kHz region averages 0 dB: compare shape, not level."""
    core = (freqs >= 200) & (freqs <= 5000)
    return bands_db - bands_db[core].mean()


def _smooth(values: np.ndarray) -> np.ndarray:
    padded = np.concatenate([[values[0]], values, [values[-1]]])
    return 0.25 * padded[:-2] + 0.5 * padded[1:-1] + 0.25 * padded[2:]


def correction(
    measured_db: np.ndarray,
    target_db: np.ndarray,
    freqs: np.ndarray,
    strength: float,
    limit_db: float = MAX_BAND_DB,
) -> np.ndarray:
    """Desired EQ (dB per band): a fraction of the smoothed distance to the target, bounded.

    Bands where the mix has almost no energy (e.g. no sub-bass at all) are left alone: boosting
    them would only raise noise and rumble.
    """
    want = relative_balance(target_db, freqs) - relative_balance(measured_db, freqs)
    empty = measured_db < measured_db.max() - 60
    want[empty] = 0.0
    want = _smooth(want) * strength
    return np.clip(want, -limit_db, limit_db)


def _section(kind: str, fs: float, f0: float, gain: float, q: float) -> np.ndarray:
    if kind == "peak":
        return filters.peaking(fs, f0, gain, q)
    return filters.shelf(fs, f0, gain, high=(kind == "high_shelf"), slope=q)


def guards(fs: float) -> list[np.ndarray]:
    """The sections every master gets: subsonic high-pass, and at high rates an ultrasonic
    low-pass (far above hearing, content near Nyquist makes peaks between samples that no short
    interpolator reads well; removing it keeps the real reconstruction under the ceiling)."""
    sections = [filters.butter2(fs, SUBSONIC_HZ, high=True)]
    if fs >= HIGH_RATE:
        sections += [filters.butter2(fs, ULTRASONIC_HZ, high=False)] * 2
    return sections


# The listener's moves (MasterSettings.eq_adjust): about an octave wide, shelves at the edges.
ADJUST_Q = 1.4
ADJUST_LOW_SHELF_HZ = 80.0
ADJUST_HIGH_SHELF_HZ = 10000.0
ADJUST_SHELF_SLOPE = 0.7


def adjust(
    pairs: tuple[tuple[float, float], ...], fs: float
) -> tuple[list[np.ndarray], list[dict]]:
    """Sections (and their description) for the listener's (centre Hz, gain dB) moves: a bell
    of about one octave, a low shelf under 80 Hz and a high shelf over 10 kHz."""
    sections = []
    described = []
    for freq, gain in pairs:
        if gain == 0 or freq >= 0.45 * fs:
            continue
        if freq < ADJUST_LOW_SHELF_HZ:
            kind, q = "low_shelf", ADJUST_SHELF_SLOPE
        elif freq > ADJUST_HIGH_SHELF_HZ:
            kind, q = "high_shelf", ADJUST_SHELF_SLOPE
        else:
            kind, q = "peak", ADJUST_Q
        sections.append(_section(kind, fs, freq, gain, q))
        described.append({"type": kind, "freq_hz": freq, "gain_db": gain})
    return sections, described


def fit(desired_db: np.ndarray, freqs: np.ndarray, fs: float) -> tuple[np.ndarray, list[dict]]:
    """Fit the filter bank's gains to a desired curve (weighted least squares, 3 refinements).

    Returns the cascade (subsonic high-pass first) and a description of each filter.
    """
    usable = (freqs >= FIT_LO_HZ) & (freqs <= min(FIT_HI_HZ, 0.45 * fs))
    f = freqs[usable]
    d = desired_db[usable]
    bank = [b for b in BANK if b[1] < 0.45 * fs]
    basis = np.stack([filters.response_db(_section(k, fs, f0, 1.0, q), f, fs) for k, f0, q in bank])
    gains = np.zeros(len(bank))
    for _ in range(3):
        current = sum(
            filters.response_db(_section(k, fs, f0, g, q), f, fs)
            for (k, f0, q), g in zip(bank, gains, strict=True)
        )
        residual = d - current
        step, *_ = np.linalg.lstsq(basis.T, residual, rcond=None)
        gains = np.clip(gains + step, -MAX_BAND_DB, MAX_BAND_DB)
    sections = guards(fs)
    described = []
    for (kind, f0, q), g in zip(bank, gains, strict=True):
        if abs(g) < 0.05:
            continue
        sections.append(_section(kind, fs, f0, float(g), q))
        described.append({"type": kind, "freq_hz": f0, "gain_db": round(float(g), 2)})
    return np.vstack(sections), described
