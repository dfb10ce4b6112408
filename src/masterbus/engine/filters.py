"""Filter design: biquads for any sample rate, K-weighting, the true-peak interpolator."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

IDENTITY = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])


def _norm(b0: float, b1: float, b2: float, a0: float, a1: float, a2: float) -> np.ndarray:
    return np.array([b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0])


def peaking(fs: float, f0: float, gain_db: float, q: float) -> np.ndarray:
    """RBJ cookbook peaking EQ."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * min(f0, 0.49 * fs) / fs
    alpha = math.sin(w0) / (2 * q)
    c = math.cos(w0)
    return _norm(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a)


def shelf(fs: float, f0: float, gain_db: float, high: bool, slope: float = 0.8) -> np.ndarray:
    """RBJ cookbook low or high shelf with shelf slope S."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * min(f0, 0.49 * fs) / fs
    c = math.cos(w0)
    alpha = math.sin(w0) / 2 * math.sqrt((a + 1 / a) * (1 / slope - 1) + 2)
    sq = 2 * math.sqrt(a) * alpha
    if high:
        return _norm(
            a * ((a + 1) + (a - 1) * c + sq),
            -2 * a * ((a - 1) + (a + 1) * c),
            a * ((a + 1) + (a - 1) * c - sq),
            (a + 1) - (a - 1) * c + sq,
            2 * ((a - 1) - (a + 1) * c),
            (a + 1) - (a - 1) * c - sq,
        )
    return _norm(
        a * ((a + 1) - (a - 1) * c + sq),
        2 * a * ((a - 1) - (a + 1) * c),
        a * ((a + 1) - (a - 1) * c - sq),
        (a + 1) + (a - 1) * c + sq,
        -2 * ((a - 1) + (a + 1) * c),
        (a + 1) + (a - 1) * c - sq,
    )


def butter2(fs: float, f0: float, high: bool) -> np.ndarray:
    """Second-order Butterworth low- or high-pass (bilinear, pre-warped)."""
    k = math.tan(math.pi * min(f0, 0.49 * fs) / fs)
    q = 1 / math.sqrt(2)
    norm = 1 + k / q + k * k
    a1 = 2 * (k * k - 1) / norm
    a2 = (1 - k / q + k * k) / norm
    b = (1 / norm, -2 / norm, 1 / norm) if high else (k * k / norm, 2 * k * k / norm, k * k / norm)
    return np.array([b[0], b[1], b[2], 1.0, a1, a2])


def lr4(fs: float, f0: float, high: bool) -> np.ndarray:
    """Linkwitz-Riley 4th order: two identical Butterworth sections (sums flat with its twin)."""
    section = butter2(fs, f0, high)
    return np.vstack([section, section])


@lru_cache(maxsize=16)
def k_weighting(fs: float) -> np.ndarray:
    """BS.1770 K-weighting (pre-filter shelf + RLB high-pass) for any sample rate.

    The analog prototype's parameters are matched to the standard's 48 kHz coefficients and
    re-derived through the bilinear transform, as libebur128 and ffmpeg do.
    """
    f0 = 1681.974450955533
    gain = 3.999843853973347
    q = 0.7071752369554196
    k = math.tan(math.pi * f0 / fs)
    vh = 10 ** (gain / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_ = np.array(
        [
            (vh + vb * k / q + k * k) / a0,
            2 * (k * k - vh) / a0,
            (vh - vb * k / q + k * k) / a0,
            1.0,
            2 * (k * k - 1) / a0,
            (1 - k / q + k * k) / a0,
        ]
    )
    f0 = 38.13547087602444
    q = 0.5003270373238773
    k = math.tan(math.pi * f0 / fs)
    den = 1 + k / q + k * k
    highpass = np.array([1.0, -2.0, 1.0, 1.0, 2 * (k * k - 1) / den, (1 - k / q + k * k) / den])
    return np.vstack([shelf_, highpass])


def response_db(sos: np.ndarray, freqs: np.ndarray, fs: float) -> np.ndarray:
    """Magnitude response in dB of a cascade at the given frequencies."""
    z = np.exp(-1j * 2 * np.pi * np.asarray(freqs) / fs)
    h = np.ones_like(z)
    for b0, b1, b2, _a0, a1, a2 in np.atleast_2d(sos):
        h *= (b0 + b1 * z + b2 * z * z) / (1 + a1 * z + a2 * z * z)
    return 20 * np.log10(np.maximum(np.abs(h), 1e-12))


def pad_even(sos: np.ndarray) -> np.ndarray:
    """Kernels run sections in pairs; pad a cascade with an identity section when odd."""
    sos = np.atleast_2d(sos)
    if len(sos) % 2:
        sos = np.vstack([sos, IDENTITY])
    return np.ascontiguousarray(sos, dtype=np.float64)


@lru_cache(maxsize=16)
def interpolator(
    phases: int = 4, taps_per_phase: int = 32, beta: float = 5.0, cutoff: float = 1.0
) -> np.ndarray:
    """Polyphase Kaiser-windowed-sinc interpolator, shape (phases, taps); row 0 is identity.

    ``cutoff`` is a fraction of the input's Nyquist frequency. The default (beta 5, full band)
    stays flat within +0.03 dB up to 0.45 fs, so high-frequency limiter products are not
    under-read (beta 9 at 32 taps droops 0.67 dB at 0.45 fs; a 48-tap 4x design missed overs
    by up to 0.4 dB, DESIGN.md).
    """
    half = taps_per_phase // 2
    m = np.arange(taps_per_phase) + 1 - half  # tap k reads x[i + m[k]]
    bank = np.zeros((phases, taps_per_phase), dtype=np.float64)
    for p in range(phases):
        u = p / phases - m  # distance from the interpolated point to each input sample
        window = np.i0(beta * np.sqrt(np.clip(1 - (u / (half + 0.5)) ** 2, 0, 1))) / np.i0(beta)
        bank[p] = cutoff * np.sinc(cutoff * u) * window
    # normalise each phase to unity DC gain so a constant stays constant
    bank /= bank.sum(axis=1, keepdims=True)
    return bank.astype(np.float32)


def meter_interpolator(fs: int) -> np.ndarray:
    """The reported true peak: oversampling toward 192 kHz with a 32-tap, beta-9 Kaiser sinc,
    the way ffmpeg's ebur128 meter upsamples (swresample defaults). On our music set it agrees
    with ffmpeg within 0.11 dB, so the numbers we show match what engineers measure."""
    phases = 4 if fs <= 48000 else 2 if fs <= 96000 else 1
    return interpolator(phases, 32, 9.0, 1.0)


@lru_cache(maxsize=8)
def guard_interpolator(fs: int) -> tuple[np.ndarray, list[int]]:
    """What the finished master is verified with: the larger of a flat full-band 4x reading
    (catches energy near Nyquist, which the meter's filter attenuates) and the meter's filter
    on an 8x grid (catches peaks between 4x points). Each alone under-read ffmpeg by up to
    0.1 dB on some music; together they read at or above it on every file we measured.

    Returns the stacked bank and the rows that reproduce ``meter_interpolator(fs)``: its grid
    is every (8 / its phases)-th phase of the 8x filter.
    """
    fine = interpolator(8, 32, 9.0, 1.0)
    flat = interpolator(4, 32, 5.0, 1.0)
    bank = np.ascontiguousarray(np.vstack([fine, flat[1:]]))
    meter_phases = meter_interpolator(fs).shape[0]
    return bank, list(range(0, 8, 8 // meter_phases))
