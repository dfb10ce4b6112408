"""Independent spectral measurements for tests: 1/3-octave band levels and tonal distance."""

from __future__ import annotations

import numpy as np

# Nominal 1/3-octave centres from 31.5 Hz to 16 kHz (base-2 spacing around 1 kHz).
CENTRES_HZ = 1000.0 * 2.0 ** (np.arange(-15, 13) / 3.0)


def third_octave_db(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Long-term level per 1/3-octave band (dB, mono mix), from an averaged power spectrum."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    size = 8192 if sample_rate <= 50000 else 16384
    frames = max(1, (x.size - size) // (size // 2) + 1)
    window = np.hanning(size)
    power = np.zeros(size // 2 + 1)
    for i in range(frames):
        chunk = x[i * size // 2 : i * size // 2 + size]
        chunk = np.pad(chunk, (0, size - chunk.size))
        power += np.abs(np.fft.rfft(chunk * window)) ** 2
    freqs = np.fft.rfftfreq(size, 1.0 / sample_rate)
    out = np.empty(CENTRES_HZ.size)
    for i, centre in enumerate(CENTRES_HZ):
        band = (freqs >= centre * 2 ** (-1 / 6)) & (freqs < centre * 2 ** (1 / 6))
        out[i] = 10 * np.log10(power[band].sum() / frames + 1e-30)
    return out


def tonal_balance(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Band levels with the overall level removed, so only the shape of the spectrum remains."""
    bands = third_octave_db(samples, sample_rate)
    return bands - bands.mean()


def tonal_distance(a: np.ndarray, b: np.ndarray) -> float:
    """RMS difference (dB) between two tonal balances."""
    return float(np.sqrt(np.mean((a - b) ** 2)))


def high_minus_low_db(samples: np.ndarray, sample_rate: int) -> float:
    """Energy above 4 kHz relative to 100-400 Hz (dB): larger means brighter."""
    bands = third_octave_db(samples, sample_rate)
    power = 10 ** (bands / 10)
    high = power[CENTRES_HZ >= 4000].sum()
    low = power[(CENTRES_HZ >= 100) & (CENTRES_HZ <= 400)].sum()
    return float(10 * np.log10(high / low))


def bandlimited_peak_db(samples: np.ndarray, factor: int = 16) -> float:
    """The peak of the ideal band-limited reconstruction (FFT zero-padding), in dBFS.

    This is the true peak a perfect DAC would produce: the ground truth that 4x-oversampling
    meters (ours and ffmpeg's) approximate, and under-read on content close to Nyquist.
    """
    x = np.asarray(samples, dtype=np.float64)
    x = x[:, None] if x.ndim == 1 else x
    n = x.shape[0]
    spec = np.fft.rfft(x, axis=0)
    padded = np.zeros((n * factor // 2 + 1, x.shape[1]), dtype=complex)
    padded[: spec.shape[0]] = spec
    if n % 2 == 0:
        padded[spec.shape[0] - 1] *= 0.5  # the Nyquist bin is shared by both halves
    up = np.fft.irfft(padded, n * factor, axis=0) * factor
    return float(20 * np.log10(np.max(np.abs(up))))


def mid_side_balance(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mid's tonal balance followed by side's band levels on the mid's scale (stereo input).

    Comparing two of these with ``tonal_distance`` counts a change of width (side level against
    mid) as well as of tone.
    """
    x = np.asarray(samples, dtype=np.float64)
    mid = third_octave_db((x[:, 0] + x[:, 1]) / 2, sample_rate)
    side = third_octave_db((x[:, 0] - x[:, 1]) / 2, sample_rate)
    return np.concatenate([mid - mid.mean(), side - mid.mean()])


def reshaped(samples: np.ndarray, sample_rate: int, points: dict[float, float]) -> np.ndarray:
    """The samples through a smooth zero-phase EQ: ``points`` {Hz: dB} interpolated on a
    log-frequency axis (held flat beyond the outer points). Tests use it to render material far
    apart in tone, independently of the engine's filters."""
    x = np.asarray(samples, dtype=np.float64)
    spec = np.fft.rfft(x, axis=0)
    freqs = np.fft.rfftfreq(x.shape[0], 1.0 / sample_rate)
    keys = sorted(points)
    gain_db = np.interp(np.log2(np.maximum(freqs, 1.0)), np.log2(keys), [points[k] for k in keys])
    gain = 10.0 ** (gain_db / 20.0)
    out = np.fft.irfft(spec * (gain[:, None] if x.ndim == 2 else gain), x.shape[0], axis=0)
    return out.astype(np.float32)
