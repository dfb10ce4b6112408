"""Biquad cascades: SOS filters, with and without state carried across blocks, and the
K-weighted power used by the loudness meter."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, inline="always")
def coefs(sos: np.ndarray, k: int) -> tuple[float, float, float, float, float]:
    """Section ``k`` of a cascade (rows b0 b1 b2 a0 a1 a2, a0 == 1) as scalars."""
    return sos[k, 0], sos[k, 1], sos[k, 2], sos[k, 4], sos[k, 5]


@nb.njit(cache=True, inline="always")
def biquad(
    v: float, c: tuple[float, float, float, float, float], z1: float, z2: float
) -> tuple[float, float, float]:
    """One step of a transposed direct-form II section; returns (output, z1, z2).

    Callers keep the state in local variables: six times faster than state arrays."""
    o = c[0] * v + z1
    return o, c[1] * v - c[3] * o + z2, c[2] * v - c[4] * o


@nb.njit(cache=True, fastmath=True)
def _sos_pair(x: np.ndarray, s: np.ndarray, y: np.ndarray) -> None:
    """Two biquad sections of ``s`` over ``x`` into ``y``, in float64 state."""
    ca = coefs(s, 0)
    cb = coefs(s, 1)
    z1 = z2 = w1 = w2 = 0.0
    for i in range(x.shape[0]):
        o, z1, z2 = biquad(np.float64(x[i]), ca, z1, z2)
        p, w1, w2 = biquad(o, cb, w1, w2)
        y[i] = p


@nb.njit(cache=True, fastmath=True)
def _sos_pair_state(x: np.ndarray, s: np.ndarray, y: np.ndarray, st: np.ndarray) -> None:
    """``_sos_pair`` continuing from, and leaving, its state in ``st`` (4 values): for
    signals filtered block by block."""
    ca = coefs(s, 0)
    cb = coefs(s, 1)
    z1, z2, w1, w2 = st[0], st[1], st[2], st[3]
    for i in range(x.shape[0]):
        o, z1, z2 = biquad(np.float64(x[i]), ca, z1, z2)
        p, w1, w2 = biquad(o, cb, w1, w2)
        y[i] = p
    st[0], st[1], st[2], st[3] = z1, z2, w1, w2


@nb.njit(cache=True, parallel=True)
def sos_filter(x: np.ndarray, sos: np.ndarray, y: np.ndarray) -> None:
    """Filter each channel of ``x`` into ``y`` with its own cascade ``sos[c]`` (sections, 6),
    an even count. ``y`` may be ``x`` itself: each sample is read before it is overwritten."""
    nch = x.shape[0]
    for c in nb.prange(nch):
        src = x[c]
        for k in range(0, sos.shape[1], 2):
            _sos_pair(src, sos[c, k : k + 2], y[c])
            src = y[c]


@nb.njit(cache=True, parallel=True)
def sos_filter_state(x: np.ndarray, sos: np.ndarray, y: np.ndarray, state: np.ndarray) -> None:
    """``sos_filter`` for one block of a longer signal: ``state`` (channels, sections // 2, 4),
    zeros at the start, carries each section pair's memory to the next block."""
    nch = x.shape[0]
    for c in nb.prange(nch):
        src = x[c]
        for k in range(0, sos.shape[1], 2):
            _sos_pair_state(src, sos[c, k : k + 2], y[c], state[c, k // 2])
            src = y[c]


@nb.njit(cache=True, parallel=True)
def filtered_power_state(x: np.ndarray, sos: np.ndarray, state: np.ndarray) -> np.ndarray:
    """``filtered_power`` for one block of a longer signal; ``state`` (channels, 4) float64."""
    nch, n = x.shape
    rows = np.empty((nch, n), dtype=np.float32)
    for c in nb.prange(nch):
        _sos_pair_state(x[c], sos, rows[c], state[c])
    out = np.zeros(n, dtype=np.float32)
    for c in range(nch):
        for i in range(n):
            out[i] += rows[c, i] * rows[c, i]
    return out


@nb.njit(cache=True, parallel=True)
def filtered_power(x: np.ndarray, sos: np.ndarray) -> np.ndarray:
    """Sum over channels of the squared output of a two-section filter (K-weighted power).

    Fused so that the filtered signal itself is never stored: one float32 row per channel.
    """
    nch, n = x.shape
    out = np.empty(n, dtype=np.float32)
    rest = np.empty((max(nch - 1, 0), n), dtype=np.float32)
    for c in nb.prange(nch):
        row = out if c == 0 else rest[c - 1]
        _sos_pair(x[c], sos, row)
        for i in range(n):
            row[i] = row[i] * row[i]
    for c in range(nch - 1):
        for i in range(n):
            out[i] += rest[c, i]
    return out


@nb.njit(cache=True, parallel=True)
def filtered_power_steps(x: np.ndarray, sos: np.ndarray, step: int) -> np.ndarray:
    """Sums over ``step``-frame blocks of the channel-summed squared two-section filter output.

    Loudness only needs these 100 ms sums, so no per-frame array is stored at all.
    """
    nch, n = x.shape
    count = n // step
    sums = np.zeros((nch, count), dtype=np.float64)
    for c in nb.prange(nch):
        ca = coefs(sos, 0)
        cb = coefs(sos, 1)
        z1 = z2 = w1 = w2 = 0.0
        for k in range(count):
            acc = 0.0
            for i in range(k * step, (k + 1) * step):
                o, z1, z2 = biquad(np.float64(x[c, i]), ca, z1, z2)
                p, w1, w2 = biquad(o, cb, w1, w2)
                acc += p * p
            sums[c, k] = acc
    return sums.sum(axis=0)
