"""Measurements: BS.1770 loudness, EBU loudness range, true peak, stereo and spectrum.

Audio here is (channels, frames) float32. Loudness follows ITU-R BS.1770-4 (400 ms blocks, 75 %
overlap, -70 LUFS absolute and -10 LU relative gates); loudness range follows EBU Tech 3342
(3 s windows, -20 LU relative gate, 10th to 95th percentile).
"""

from __future__ import annotations

import math

import numpy as np

from masterbus.engine import kernels
from masterbus.engine.filters import (
    guard_interpolator,
    interpolator,
    k_weighting,
    meter_interpolator,
    pad_even,
)
from masterbus.engine.kernels import biquads, measures

ABSOLUTE_GATE = -70.0
CLIP_LEVEL = 0.9999  # a sample this close to full scale counts as clipped
THIRD_OCTAVES = np.array(
    [25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250,
     1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000]
)  # fmt: skip
WAVEFORM_POINTS = 1000
ALL = np.zeros(0, dtype=np.bool_)  # "measure every block" for measures.oversampled_peaks


def db(x: float, floor: float = -200.0) -> float:
    return 20 * math.log10(x) if x > 0 else floor


def energy_to_lufs(mean_square: float | np.ndarray) -> float | np.ndarray:
    return -0.691 + 10 * np.log10(np.maximum(mean_square, 1e-30))


def k_weighted_power(x: np.ndarray, fs: int) -> np.ndarray:
    """Per-frame K-weighted power summed over channels: the raw material of every loudness."""
    return biquads.filtered_power(np.ascontiguousarray(x), pad_even(k_weighting(float(fs))))


def step_frames(fs: int) -> int:
    """Frames in one 100 ms loudness step."""
    return max(1, round(fs / 10))


class Loudness:
    """Loudness from K-weighted power summed in 100 ms steps (the unit of every BS.1770 and
    EBU Tech 3342 window), measured once and then re-usable."""

    def __init__(self, steps: np.ndarray, fs: int):
        self.fs = fs
        self.step = step_frames(fs)
        self.steps = steps

    @classmethod
    def of(cls, x: np.ndarray, fs: int) -> Loudness:
        """Measure a (channels, frames) signal without storing its K-weighted copy."""
        sos = pad_even(k_weighting(float(fs)))
        steps = biquads.filtered_power_steps(np.ascontiguousarray(x), sos, step_frames(fs))
        return cls(steps, fs)

    @staticmethod
    def _windows(steps: np.ndarray, size: int, step_len: int) -> np.ndarray:
        if len(steps) < size:
            return np.array([])
        c = np.concatenate([[0.0], np.cumsum(steps)])
        return (c[size:] - c[:-size]) / (size * step_len)

    @classmethod
    def integrated_from_steps(cls, steps: np.ndarray, step_len: int) -> float | None:
        blocks = cls._windows(steps, 4, step_len)
        if len(blocks) == 0:
            # shorter than one 400 ms block: measure what there is, ungated
            total = steps.sum() / max(1, len(steps) * step_len)
            value = float(energy_to_lufs(total)) if len(steps) else None
            return value if value is not None and value > ABSOLUTE_GATE else None
        lufs = energy_to_lufs(blocks)
        gated = blocks[lufs > ABSOLUTE_GATE]
        if len(gated) == 0:
            return None
        relative = energy_to_lufs(gated.mean()) - 10.0
        final = gated[energy_to_lufs(gated) > relative]
        return float(energy_to_lufs(final.mean()))

    def integrated(self) -> float | None:
        return self.integrated_from_steps(self.steps, self.step)

    def short_term(self) -> np.ndarray:
        return energy_to_lufs(self._windows(self.steps, 30, self.step))

    def momentary(self) -> np.ndarray:
        return energy_to_lufs(self._windows(self.steps, 4, self.step))

    def short_term_max(self) -> float | None:
        st = self.short_term()
        if len(st) == 0:
            st = self.momentary()
        if len(st) == 0 or st.max() <= ABSOLUTE_GATE:
            return None
        return float(st.max())

    def loudness_range(self) -> float:
        st = self.short_term()
        st = st[st > ABSOLUTE_GATE]
        if len(st) < 2:
            return 0.0
        power = 10 ** ((st + 0.691) / 10)
        relative = energy_to_lufs(power.mean()) - 20.0
        st = st[st > relative]
        if len(st) < 2:
            return 0.0
        lo, hi = np.percentile(st, [10, 95])
        return float(hi - lo)


def true_peak_curve(x: np.ndarray) -> np.ndarray:
    """Per-frame linked true peak (flat 4x), for the limiter."""
    frames, _ = measures.oversampled_peaks(np.ascontiguousarray(x), interpolator(), True, ALL)
    return frames


def true_peak(x: np.ndarray, fs: int) -> float:
    """Largest true peak (linear) over all channels, as meters report it (see
    ``meter_interpolator``)."""
    if x.shape[1] == 0:
        return 0.0
    x = np.ascontiguousarray(x)
    bank = meter_interpolator(fs)
    # An interpolated value is at most sum|h| times the largest nearby sample, and the true
    # peak is at least the sample peak: blocks that cannot reach it are skipped.
    active = reachable_blocks(measures.block_abs_max(x, kernels.BLOCK), bank)
    _, phases = measures.oversampled_peaks(x, bank, False, active)
    return float(phases.max())


def reachable_blocks(block_peaks: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Flags of the blocks whose interpolated points can reach the largest sample peak (an
    interpolated value is at most sum|h| times the largest nearby sample)."""
    gain = float(np.abs(bank).sum(axis=1).max())
    nearby = block_peaks.copy()
    nearby[1:] = np.maximum(nearby[1:], block_peaks[:-1])
    nearby[:-1] = np.maximum(nearby[:-1], block_peaks[1:])
    return nearby * gain >= block_peaks.max()


def guarded_true_peak(
    x: np.ndarray, fs: int, active: np.ndarray | None = None
) -> tuple[float, float]:
    """(guard reading, meter reading) from one pass: the guard is what the ceiling is verified
    against; the meter reading is the same as ``true_peak`` (its grid is part of the guard's).

    ``active`` (one flag per ``kernels.BLOCK`` frames) limits the work to blocks that can hold
    the maximum; the caller vouches that the others are lower.
    """
    if x.shape[1] == 0:
        return 0.0, 0.0
    bank, meter_rows = guard_interpolator(fs)
    flags = ALL if active is None else active
    _, phases = measures.oversampled_peaks(np.ascontiguousarray(x), bank, False, flags)
    top = phases.max(axis=0)
    return float(top.max()), float(top[meter_rows].max())


def spectrum_plan(n: int, fs: int, frames_max: int = 96) -> tuple[int, np.ndarray]:
    """(FFT size, start frames) of the analysis frames ``spectrum`` averages."""
    nfft = 1 << max(10, round(math.log2(fs / 5.0)))  # ~5 Hz resolution
    if n < nfft:
        nfft = max(256, 1 << int(math.log2(max(n, 256))))
    count = min(frames_max, max(1, n // nfft))
    starts = np.linspace(0, max(0, n - nfft), num=count).astype(np.int64)
    return nfft, starts


def spectrum(x: np.ndarray, fs: int, frames_max: int = 96) -> dict:
    """Long-term 1/3-octave spectrum of mid and side (dB, Hann-windowed Welch average)."""
    n = x.shape[1]
    nfft, starts = spectrum_plan(n, fs, frames_max)
    index = starts[:, None] + np.arange(nfft)[None, :]
    padded = x if n >= nfft else np.pad(x, ((0, 0), (0, nfft - n)))
    frames = padded[:, index]  # (channels, count, nfft): only the analysed frames are copied
    return spectrum_of_frames(frames, fs)


def spectrum_of_frames(frames: np.ndarray, fs: int) -> dict:
    """``spectrum`` from its analysis frames, (channels, count, nfft)."""
    nfft = frames.shape[2]
    mid = frames[0] if frames.shape[0] == 1 else 0.5 * (frames[0] + frames[1])
    side = None if frames.shape[0] == 1 else 0.5 * (frames[0] - frames[1])
    window = np.hanning(nfft).astype(np.float32)
    norm = 1.0 / (nfft * float((window**2).sum()))  # Parseval: bands sum to the mean square
    freqs = np.fft.rfftfreq(nfft, 1 / fs)

    def psd(sig: np.ndarray) -> np.ndarray:
        return (np.abs(np.fft.rfft(sig * window, axis=1)) ** 2).mean(axis=0) * norm

    centres = THIRD_OCTAVES[0.45 * fs > THIRD_OCTAVES]
    edges_lo = centres / 2 ** (1 / 6)
    edges_hi = centres * 2 ** (1 / 6)

    def bands(p: np.ndarray) -> list[float]:
        out = []
        for lo, hi in zip(edges_lo, edges_hi, strict=True):
            sel = (freqs >= lo) & (freqs < hi)
            power = p[sel].sum() * 2 if sel.any() else 0.0
            out.append(round(10 * math.log10(power + 1e-20), 2))
        return out

    result = {"freqs_hz": [float(c) for c in centres], "mid_db": bands(psd(mid))}
    result["side_db"] = bands(psd(side)) if side is not None else [-200.0] * len(centres)
    return result


def waveform(x: np.ndarray, points: int = WAVEFORM_POINTS) -> dict:
    """Min/max pairs for drawing a waveform: per-channel extremes averaged over the channels
    (close to the mix's own for a picture, and no full-length mix is built)."""
    n = x.shape[1]
    points = max(1, min(points, n))
    edges = np.linspace(0, n, points + 1).astype(int)[:-1]
    mins = np.minimum.reduceat(x, edges, axis=1).mean(axis=0)
    maxs = np.maximum.reduceat(x, edges, axis=1).mean(axis=0)
    pairs = zip(mins.tolist(), maxs.tolist(), strict=True)
    return {"peaks": [[round(a, 4), round(b, 4)] for a, b in pairs]}


def analyse(
    x: np.ndarray, fs: int, loud: Loudness | None = None, peak: float | None = None
) -> dict:
    """Everything the report and the feedback need to know about a signal.

    ``loud`` and ``peak`` (true peak, linear) may be passed when already measured.
    """
    x = np.ascontiguousarray(x, dtype=np.float32)
    if loud is None:
        loud = Loudness.of(x, fs)
    stats = measures.signal_stats(x, CLIP_LEVEL)
    if peak is None:
        peak = true_peak(x, fs)
    return summarise(x.shape, fs, loud, stats, peak, spectrum(x, fs), waveform(x))


def summarise(
    shape: tuple[int, int],
    fs: int,
    loud: Loudness,
    stats: np.ndarray,
    peak: float,
    spectrum_: dict,
    waveform_: dict,
) -> dict:
    """The analysis dict from its measurements (``stats`` as ``measures.signal_stats``)."""
    nch, n = shape
    integrated = loud.integrated()
    sample_peak = float(stats[:, 2].max())
    rms = math.sqrt(float(stats[:, 1].sum()) / (nch * n))
    clipped = int(stats[:, 3].sum())
    if nch == 2:
        ll, rr, lr = float(stats[0, 1]), float(stats[1, 1]), float(stats[0, 4])
        denom = math.sqrt(ll * rr)
        correlation = lr / denom if denom > 0 else 1.0
        mid_e = ll + rr + 2 * lr
        side_e = ll + rr - 2 * lr
        width = side_e / mid_e if mid_e > 0 else 0.0
    else:
        correlation, width = 1.0, 0.0
    tp_db = db(peak)
    result = {
        "duration_s": round(n / fs, 4),
        "sample_rate": fs,
        "channels": nch,
        "integrated_lufs": None if integrated is None else round(integrated, 2),
        "short_term_max_lufs": _round(loud.short_term_max()),
        "lra_lu": round(loud.loudness_range(), 2),
        "sample_peak_dbfs": round(db(sample_peak), 2),
        "true_peak_dbtp": round(tp_db, 2),
        "crest_db": round(db(sample_peak) - db(rms), 2) if rms > 0 else 0.0,
        "plr_db": None if integrated is None else round(tp_db - integrated, 2),
        "dc_offset": [round(float(v), 6) for v in stats[:, 0] / n],
        "clipped_samples": clipped,
        "correlation": round(correlation, 3),
        "width": round(width, 3),
        "spectrum": spectrum_,
        "waveform": waveform_,
    }
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
