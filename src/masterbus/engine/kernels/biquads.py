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


@nb.njit(cache=True, fastmath=True)
def _sos_quad(x: np.ndarray, s: np.ndarray, y: np.ndarray) -> None:
    """Four sections of ``s`` over ``x`` into ``y``: each section's recursion waits on its own
    last output, so four in one loop keep the processor busy (0.6 times the time of two
    ``_sos_pair`` passes)."""
    ca = coefs(s, 0)
    cb = coefs(s, 1)
    cc = coefs(s, 2)
    cd = coefs(s, 3)
    a1 = a2 = b1 = b2 = c1 = c2 = d1 = d2 = 0.0
    for i in range(x.shape[0]):
        o, a1, a2 = biquad(np.float64(x[i]), ca, a1, a2)
        o, b1, b2 = biquad(o, cb, b1, b2)
        o, c1, c2 = biquad(o, cc, c1, c2)
        o, d1, d2 = biquad(o, cd, d1, d2)
        y[i] = o


@nb.njit(cache=True, parallel=True)
def sos_filter(x: np.ndarray, sos: np.ndarray, y: np.ndarray) -> None:
    """Filter each channel of ``x`` into ``y`` with its own cascade ``sos[c]`` (sections, 6),
    an even count. ``y`` may be ``x`` itself: each sample is read before it is overwritten.

    Sections run four per pass over the signal, then a last pair if the count needs one."""
    nch = x.shape[0]
    count = sos.shape[1]
    for c in nb.prange(nch):
        src = x[c]
        k = 0
        while k + 4 <= count:
            _sos_quad(src, sos[c, k : k + 4], y[c])
            src = y[c]
            k += 4
        if k < count:
            _sos_pair(src, sos[c, k : k + 2], y[c])


@nb.njit(cache=True, fastmath=True)
def _sos_quad_state(x: np.ndarray, s: np.ndarray, y: np.ndarray, st: np.ndarray) -> None:
    """``_sos_quad`` continuing from, and leaving, its state in ``st`` (2 rows of 4 values,
    the slots of two section pairs): the same arithmetic as ``_sos_quad``, so a signal
    filtered block by block comes out exactly as filtered whole."""
    ca = coefs(s, 0)
    cb = coefs(s, 1)
    cc = coefs(s, 2)
    cd = coefs(s, 3)
    a1, a2, b1, b2 = st[0, 0], st[0, 1], st[0, 2], st[0, 3]
    c1, c2, d1, d2 = st[1, 0], st[1, 1], st[1, 2], st[1, 3]
    for i in range(x.shape[0]):
        o, a1, a2 = biquad(np.float64(x[i]), ca, a1, a2)
        o, b1, b2 = biquad(o, cb, b1, b2)
        o, c1, c2 = biquad(o, cc, c1, c2)
        o, d1, d2 = biquad(o, cd, d1, d2)
        y[i] = o
    st[0, 0], st[0, 1], st[0, 2], st[0, 3] = a1, a2, b1, b2
    st[1, 0], st[1, 1], st[1, 2], st[1, 3] = c1, c2, d1, d2


@nb.njit(cache=True, parallel=True)
def sos_filter_state(x: np.ndarray, sos: np.ndarray, y: np.ndarray, state: np.ndarray) -> None:
    """``sos_filter`` for one block of a longer signal: ``state`` (channels, sections // 2, 4),
    zeros at the start, carries each section pair's memory to the next block. Sections are
    grouped as in ``sos_filter``, so block-wise and whole results are the same."""
    nch = x.shape[0]
    count = sos.shape[1]
    for c in nb.prange(nch):
        src = x[c]
        k = 0
        while k + 4 <= count:
            _sos_quad_state(src, sos[c, k : k + 4], y[c], state[c, k // 2 : k // 2 + 2])
            src = y[c]
            k += 4
        if k < count:
            _sos_pair_state(src, sos[c, k : k + 2], y[c], state[c, k // 2])


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


@nb.njit(cache=True, fastmath=True)
def filtered_power(x: np.ndarray, sos: np.ndarray) -> np.ndarray:
    """Sum over channels of the squared output of a two-section filter (K-weighted power).

    Fused so that the filtered signal itself is never stored. Stereo runs both channels in one
    loop: four independent recursions keep one core busy where two would wait on each other,
    which beats a thread per channel when the machine has other work.
    """
    nch, n = x.shape
    out = np.zeros(n, dtype=np.float32)
    ca = coefs(sos, 0)
    cb = coefs(sos, 1)
    if nch == 2:
        z1 = z2 = w1 = w2 = u1 = u2 = v1 = v2 = 0.0
        for i in range(n):
            o, z1, z2 = biquad(np.float64(x[0, i]), ca, z1, z2)
            p, w1, w2 = biquad(o, cb, w1, w2)
            o2, u1, u2 = biquad(np.float64(x[1, i]), ca, u1, u2)
            q, v1, v2 = biquad(o2, cb, v1, v2)
            out[i] = p * p + q * q
        return out
    for c in range(nch):
        z1 = z2 = w1 = w2 = 0.0
        for i in range(n):
            o, z1, z2 = biquad(np.float64(x[c, i]), ca, z1, z2)
            p, w1, w2 = biquad(o, cb, w1, w2)
            out[i] += p * p
    return out


@nb.njit(cache=True, fastmath=True)
def filtered_power_steps(x: np.ndarray, sos: np.ndarray, step: int) -> np.ndarray:
    """Sums over ``step``-frame blocks of the channel-summed squared two-section filter output
    (both stereo channels in one loop, as ``filtered_power``).

    Loudness only needs these 100 ms sums, so no per-frame array is stored at all.
    """
    nch, n = x.shape
    count = n // step
    sums = np.zeros(count, dtype=np.float64)
    ca = coefs(sos, 0)
    cb = coefs(sos, 1)
    if nch == 2:
        z1 = z2 = w1 = w2 = u1 = u2 = v1 = v2 = 0.0
        for k in range(count):
            acc = 0.0
            for i in range(k * step, (k + 1) * step):
                o, z1, z2 = biquad(np.float64(x[0, i]), ca, z1, z2)
                p, w1, w2 = biquad(o, cb, w1, w2)
                o2, u1, u2 = biquad(np.float64(x[1, i]), ca, u1, u2)
                q, v1, v2 = biquad(o2, cb, v1, v2)
                acc += p * p + q * q
            sums[k] = acc
        return sums
    for c in range(nch):
        z1 = z2 = w1 = w2 = 0.0
        for k in range(count):
            acc = 0.0
            for i in range(k * step, (k + 1) * step):
                o, z1, z2 = biquad(np.float64(x[c, i]), ca, z1, z2)
                p, w1, w2 = biquad(o, cb, w1, w2)
                acc += p * p
            sums[k] += acc
    return sums
