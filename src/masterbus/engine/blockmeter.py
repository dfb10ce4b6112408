"""The measurements of ``meter`` on scratch arrays, block by block: loudness, the oversampled
peak scan (each block read with ``CONTEXT`` frames on either side), true peak and the full
analysis. Only per-step (100 ms) and per-block summaries are held in memory.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from masterbus.engine import kernels, store
from masterbus.engine.filters import guard_interpolator, k_weighting, meter_interpolator, pad_even
from masterbus.engine.kernels import biquads, measures
from masterbus.engine.meter import (
    CLIP_LEVEL,
    WAVEFORM_POINTS,
    Loudness,
    reachable_blocks,
    spectrum_of_frames,
    spectrum_plan,
    step_frames,
    summarise,
)
from masterbus.engine.store import CONTEXT, Frames


class StepSums:
    """Sums over 100 ms steps of per-frame values that arrive in blocks (a partial last step
    is dropped, as ``biquads.filtered_power_steps`` does)."""

    def __init__(self, step: int):
        self.step = step
        self._carry = np.zeros(0)
        self._sums: list[np.ndarray] = []

    def add(self, values: np.ndarray) -> None:
        v = np.concatenate([self._carry, values.astype(np.float64)])
        count = len(v) // self.step
        self._sums.append(v[: count * self.step].reshape(count, self.step).sum(axis=1))
        self._carry = v[count * self.step :]

    def result(self) -> np.ndarray:
        return np.concatenate(self._sums) if self._sums else np.zeros(0)


def loudness_of(x: Frames, fs: int) -> Loudness:
    """``Loudness.of`` block by block."""
    sos = pad_even(k_weighting(float(fs)))
    state = np.zeros((x.rows, 4))
    sums = StepSums(step_frames(fs))
    for _start, block in x.blocks():
        sums.add(biquads.filtered_power_state(block, sos, state))
    return Loudness(sums.result(), fs)


def oversampled(
    x: Frames,
    bank: np.ndarray,
    active: np.ndarray | None = None,
    per_frame: Callable[[int, np.ndarray], None] | None = None,
) -> np.ndarray:
    """``measures.oversampled_peaks`` block by block: the per-block phase peaks, and (when
    ``per_frame`` is given) each block's per-frame peaks handed to it with the block's start.

    Each block is read with ``CONTEXT`` frames on either side, so the interpolator sees the
    same neighbours as on the whole signal; the context blocks themselves are not measured."""
    n = x.frames
    nblk = (n + kernels.BLOCK - 1) // kernels.BLOCK
    peaks = np.zeros((nblk, bank.shape[0]), dtype=np.float32)
    for start in range(0, n, store.BLOCK_FRAMES):
        end = min(n, start + store.BLOCK_FRAMES)
        b0, b1 = start // kernels.BLOCK, (end + kernels.BLOCK - 1) // kernels.BLOCK
        flags = np.ones(b1 - b0, dtype=np.bool_) if active is None else active[b0:b1]
        if per_frame is None and not flags.any():
            continue
        trail = CONTEXT if end < n else 0  # at the end the kernel pads with zeros itself
        buf = x.read_padded(start - CONTEXT, end + trail)
        count = (buf.shape[1] + kernels.BLOCK - 1) // kernels.BLOCK
        ext = np.zeros(count, dtype=np.bool_)
        lead = CONTEXT // kernels.BLOCK
        ext[lead : lead + b1 - b0] = flags
        frames, phases = measures.oversampled_peaks(buf, bank, per_frame is not None, ext)
        peaks[b0:b1] = phases[lead : lead + b1 - b0]
        if per_frame is not None:
            per_frame(start, frames[CONTEXT : CONTEXT + end - start])
    return peaks


def guarded_true_peak(x: Frames, fs: int, active: np.ndarray | None = None) -> tuple[float, float]:
    """``meter.guarded_true_peak`` block by block."""
    if x.frames == 0:
        return 0.0, 0.0
    bank, meter_rows = guard_interpolator(fs)
    top = oversampled(x, bank, active).max(axis=0)
    return float(top.max()), float(top[meter_rows].max())


def analyse(
    x: Frames, fs: int, loud: Loudness | None = None, peak: float | None = None
) -> tuple[dict, Loudness]:
    """``meter.analyse`` block by block; also returns the loudness measurement."""
    nch, n = x.shape
    sos = pad_even(k_weighting(float(fs)))
    k_state = np.zeros((nch, 4))
    sums = StepSums(step_frames(fs))
    stats = np.zeros((nch, 5))
    block_peaks = []
    points = max(1, min(WAVEFORM_POINTS, n))
    edges = np.linspace(0, n, points + 1).astype(int)[:-1]
    mins = np.full((nch, points), np.inf)
    maxs = np.full((nch, points), -np.inf)
    for start, block in x.blocks():
        end = start + block.shape[1]
        if loud is None:
            sums.add(biquads.filtered_power_state(block, sos, k_state))
        part = measures.signal_stats(block, CLIP_LEVEL)
        stats[:, [0, 1, 3, 4]] += part[:, [0, 1, 3, 4]]
        stats[:, 2] = np.maximum(stats[:, 2], part[:, 2])
        block_peaks.append(measures.block_abs_max(block, kernels.BLOCK))
        # waveform: the points that start in this block, and the one running into it
        first = int(np.searchsorted(edges, start, side="right")) - 1
        last = int(np.searchsorted(edges, end, side="left"))
        local = np.maximum(edges[first:last], start) - start
        mins[:, first:last] = np.minimum(mins[:, first:last], np.minimum.reduceat(block, local, 1))
        maxs[:, first:last] = np.maximum(maxs[:, first:last], np.maximum.reduceat(block, local, 1))
    if loud is None:
        loud = Loudness(sums.result(), fs)
    if peak is None:
        bank = meter_interpolator(fs)
        active = reachable_blocks(np.concatenate(block_peaks), bank)
        peak = float(oversampled(x, bank, active).max())
    nfft, starts = spectrum_plan(n, fs)
    frames = np.stack([x.read_padded(int(s), int(s) + nfft) for s in starts], axis=1)
    pairs = zip(mins.mean(axis=0).tolist(), maxs.mean(axis=0).tolist(), strict=True)
    waveform = {"peaks": [[round(a, 4), round(b, 4)] for a, b in pairs]}
    result = summarise(x.shape, fs, loud, stats, peak, spectrum_of_frames(frames, fs), waveform)
    return result, loud
