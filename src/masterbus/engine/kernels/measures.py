"""The oversampled peak scan behind true peak and the limiter's detector, and per-block
statistics of a signal."""

from __future__ import annotations

import numba as nb
import numpy as np

from masterbus.engine.kernels import BLOCK


@nb.njit(cache=True, fastmath=True)
def _phase(buf: np.ndarray, h: np.ndarray, m: int, acc: np.ndarray) -> None:
    """acc[j] = sum over k of h[k] * buf[j + k + 1], for j < m: one interpolated phase.

    Taps go four at a time: each pass over ``acc`` then loads and stores it once per four
    multiply-adds instead of once per one (the loop is bound by those loads and stores)."""
    ntap = h.shape[0]
    for j in range(m):
        acc[j] = 0.0
    k = 0
    while k + 4 <= ntap:
        h0, h1, h2, h3 = h[k], h[k + 1], h[k + 2], h[k + 3]
        s0 = buf[k + 1 : k + 1 + m]  # slices let LLVM vectorise
        s1 = buf[k + 2 : k + 2 + m]
        s2 = buf[k + 3 : k + 3 + m]
        s3 = buf[k + 4 : k + 4 + m]
        for j in range(m):
            acc[j] += h0 * s0[j] + h1 * s1[j] + h2 * s2[j] + h3 * s3[j]
        k += 4
    while k < ntap:
        hk = h[k]
        seg = buf[k + 1 : k + 1 + m]
        for j in range(m):
            acc[j] += hk * seg[j]
        k += 1


@nb.njit(cache=True, fastmath=True, parallel=True)
def oversampled_peaks(
    x: np.ndarray, phases: np.ndarray, per_frame: bool, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Peaks of |signal| on a P-times oversampled grid, linked over channels.

    Returns ``(frame_peaks, phase_peaks)``. ``frame_peaks[i]`` (only with ``per_frame``, else
    empty) is the largest value among the frame ``i`` samples and the interpolated points
    between frames ``i`` and ``i + 1``; ``phase_peaks[b, p]`` is the largest value of phase
    ``p`` in block ``b``, so one pass can answer for several interpolator designs stacked in
    ``phases`` (P, T). Phase 0 (the original samples) is not filtered. Each block copies its
    stretch of input (zero-padded at the ends) into a small local buffer, so no padded copy of
    the whole signal is made. Blocks whose ``active`` flag is false are skipped (their peaks
    stay 0); pass an empty ``active`` to measure every block.
    """
    nch, n = x.shape
    nphase, ntap = phases.shape
    half = ntap // 2
    nblk = (n + BLOCK - 1) // BLOCK
    out = np.zeros(n if per_frame else 0, dtype=np.float32)
    phase_peaks = np.zeros((nblk, nphase), dtype=np.float32)
    for b in nb.prange(nblk):
        if active.shape[0] > 0 and not active[b]:
            continue
        s = b * BLOCK
        e = min(n, s + BLOCK)
        m = e - s
        acc = np.empty(BLOCK, dtype=np.float32)
        best = np.zeros(BLOCK, dtype=np.float32)
        buf = np.zeros(BLOCK + ntap + 1, dtype=np.float32)
        for c in range(nch):
            # buf[t] holds x[s - half + t]
            for t in range(m + ntap + 1):
                src = s - half + t
                buf[t] = x[c, src] if 0 <= src < n else 0.0
            for p in range(nphase):
                if p == 0:
                    seg = buf[half : half + m]
                    for j in range(m):
                        acc[j] = seg[j]
                else:
                    _phase(buf, phases[p], m, acc)
                top = phase_peaks[b, p]
                for j in range(m):
                    v = abs(acc[j])
                    best[j] = max(best[j], v)
                    top = max(top, v)
                phase_peaks[b, p] = top
        if per_frame:
            for j in range(m):
                out[s + j] = best[j]
    return out, phase_peaks


@nb.njit(cache=True, parallel=True)
def signal_stats(x: np.ndarray, clip_level: float) -> np.ndarray:
    """One pass of per-channel statistics: rows are channels, columns are
    sum, sum of squares, max |x|, samples at or above ``clip_level``, and (row 0 only)
    sum of x0*x1 for the stereo correlation."""
    nch, n = x.shape
    out = np.zeros((nch, 5))
    for c in nb.prange(nch):
        s1 = 0.0
        s2 = 0.0
        peak = 0.0
        clipped = 0
        cross = 0.0
        for i in range(n):
            v = np.float64(x[c, i])
            s1 += v
            s2 += v * v
            a = abs(v)
            if a > peak:
                peak = a
            if a >= clip_level:
                clipped += 1
            if c == 0 and nch > 1:
                cross += v * x[1, i]
        out[c, 0] = s1
        out[c, 1] = s2
        out[c, 2] = peak
        out[c, 3] = clipped
        out[c, 4] = cross
    return out


@nb.njit(cache=True)
def block_max_product(a: np.ndarray, b: np.ndarray, block: int) -> np.ndarray:
    """Per-block maximum of ``a * b`` (e.g. detected peaks times the limiter's gain curve)."""
    n = a.shape[0]
    count = (n + block - 1) // block
    out = np.zeros(count, dtype=np.float32)
    for i in range(n):
        v = a[i] * b[i]
        k = i // block
        if v > out[k]:
            out[k] = v
    return out


@nb.njit(cache=True, parallel=True)
def block_abs_max(x: np.ndarray, block: int) -> np.ndarray:
    """Largest |sample| over all channels in each block of ``block`` frames."""
    nch, n = x.shape
    count = (n + block - 1) // block
    out = np.zeros(count, dtype=np.float32)
    for b in nb.prange(count):
        top = np.float32(0.0)
        for c in range(nch):
            for i in range(b * block, min(n, (b + 1) * block)):
                top = max(top, abs(x[c, i]))
        out[b] = top
    return out
