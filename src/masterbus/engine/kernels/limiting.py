"""The look-ahead limiter's gain curve (streamed with ring buffers), applying a curve, and
the loudness sums of K-weighted power after a curve."""

from __future__ import annotations

import numba as nb
import numpy as np

LIMITER_INTS = 3  # limiter state: deque head, deque count, frames pushed
LIMITER_FLOATS = 3  # limiter state: moving-average sum, held gain, busy


def limiter_state(lookahead: int) -> tuple[np.ndarray, ...]:
    """Fresh state for ``limiter_gain_block``: (ints, floats, deque indices, deque values,
    history of held values)."""
    return (
        np.zeros(LIMITER_INTS, dtype=np.int64),
        np.array([float(lookahead), 1.0, 0.0]),
        np.empty(lookahead + 1, dtype=np.int64),
        np.empty(lookahead + 1, dtype=np.float64),
        np.ones(lookahead, dtype=np.float64),
    )


@nb.njit(cache=True)
def limiter_gain_block(
    peaks: np.ndarray,
    first: int,
    n: int,
    start: int,
    gain: float,
    ceiling: float,
    lookahead: int,
    release_fast: float,
    release_slow: float,
    sustain_coef: float,
    ints: np.ndarray,
    floats: np.ndarray,
    dq_idx: np.ndarray,
    dq_val: np.ndarray,
    hist: np.ndarray,
    out: np.ndarray,
) -> None:
    """Frames ``start .. start + len(out)`` of the gain curve of a look-ahead, stereo-linked
    peak limiter over a signal of ``n`` frames, continuing from the state (see
    ``limiter_state``); ``peaks[k]`` is the linked peak of frame ``first + k`` and must reach
    frame ``min(n, start + len(out) + lookahead) - 1``.

    The output keeps ``gain * g[i] * peaks[i] <= ceiling`` for every frame: the look-ahead
    minimum of the required gain, a release that never rises above it, then a moving average
    over the look-ahead window (each averaged value is itself at most the required gain at
    ``i``). Release is program dependent: it slows from ``release_fast`` toward
    ``release_slow`` (per-frame recovery coefficients) the longer the limiter has been working,
    so transients recover fast and sustained limiting does not pump. Streams with ring buffers.
    """
    size = lookahead + 1
    head = ints[0]
    count = ints[1]
    pushed = ints[2]
    acc = floats[0]
    h = floats[1]
    busy = floats[2]
    # ring positions wrap by comparison: an integer modulo per frame costs more than the rest
    tail = head + count
    if tail >= size:
        tail -= size
    slot = start % lookahead
    for j in range(out.shape[0]):
        i = start + j
        limit = min(n, i + lookahead)
        while pushed < limit:
            p = peaks[pushed - first] * gain
            need = ceiling / p if p > ceiling else 1.0
            while count > 0:
                last = tail - 1 if tail > 0 else size - 1
                if dq_val[last] < need:
                    break
                tail = last
                count -= 1
            dq_idx[tail] = pushed
            dq_val[tail] = need
            tail = tail + 1 if tail + 1 < size else 0
            count += 1
            pushed += 1
        while dq_idx[head] < i:
            head = head + 1 if head + 1 < size else 0
            count -= 1
        look = dq_val[head]
        if i == 0:
            # frames before the start count as already reduced to the first look-ahead minimum,
            # so the opening average cannot exceed what the first frames need
            hist[:] = look
            acc = look * lookahead
            h = look
        busy = sustain_coef * busy + (1.0 - sustain_coef) * (1.0 if look < 0.99 else 0.0)
        coef = release_fast + (release_slow - release_fast) * busy
        h = 1.0 - (1.0 - h) * coef
        if look < h:
            h = look
        acc += h - hist[slot]
        hist[slot] = h
        slot = slot + 1 if slot + 1 < lookahead else 0
        out[j] = acc / lookahead
    ints[0] = head
    ints[1] = count
    ints[2] = pushed
    floats[0] = acc
    floats[1] = h
    floats[2] = busy


def limiter_gain(
    peaks: np.ndarray,
    gain: float,
    ceiling: float,
    lookahead: int,
    release_fast: float,
    release_slow: float,
    sustain_coef: float,
) -> np.ndarray:
    """The whole gain curve of ``limiter_gain_block`` (one value per frame)."""
    n = peaks.shape[0]
    out = np.empty(n, dtype=np.float32)
    limiter_gain_block(
        peaks, 0, n, 0, gain, ceiling, lookahead, release_fast, release_slow, sustain_coef,
        *limiter_state(lookahead), out,
    )  # fmt: skip
    return out


@nb.njit(cache=True)
def link_and_chunk(
    peaks: np.ndarray, power: np.ndarray, chunk: int
) -> tuple[np.ndarray, np.ndarray]:
    """Link each frame's detected peak with its predecessor's, in place (an interpolated point
    between frames i - 1 and i depends on the gain at both), and return the per-``chunk``
    maxima of the linked peaks and sums of ``power``, in one pass without temporaries."""
    n = peaks.shape[0]
    count = (n + chunk - 1) // chunk
    chunk_peaks = np.zeros(count, dtype=np.float32)
    chunk_power = np.zeros(count, dtype=np.float32)
    previous = np.float32(0.0)
    for k in range(count):
        top = np.float32(0.0)
        total = np.float32(0.0)
        for i in range(k * chunk, min(n, (k + 1) * chunk)):
            here = peaks[i]
            linked = max(here, previous)
            previous = here
            peaks[i] = linked
            top = max(top, linked)
            total += power[i]
        chunk_peaks[k] = top
        chunk_power[k] = total
    return chunk_peaks, chunk_power


@nb.njit(cache=True)
def weighted_block_sums(power: np.ndarray, curve: np.ndarray, size: int) -> np.ndarray:
    """Block sums of ``power * curve**2``: K-weighted power after a gain curve, no temporaries."""
    count = power.shape[0] // size
    out = np.zeros(count, dtype=np.float64)
    for b in range(count):
        acc = 0.0
        for i in range(b * size, (b + 1) * size):
            g = curve[i]
            acc += power[i] * g * g
        out[b] = acc
    return out


@nb.njit(cache=True)
def segment_energy(power: np.ndarray, curve: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Sums of ``power * curve**2`` from each edge to the next (the last one to the end), like
    ``np.add.reduceat(power * curve * curve, edges[:-1])`` without its full-size temporaries."""
    count = edges.shape[0] - 1
    out = np.zeros(count, dtype=np.float64)
    n = power.shape[0]
    for k in range(count):
        hi = edges[k + 1] if k < count - 1 else n
        acc = 0.0
        for i in range(edges[k], hi):
            acc += np.float64(power[i] * curve[i] * curve[i])
        out[k] = acc
    return out


@nb.njit(cache=True, fastmath=True, parallel=True)
def apply_curve(x: np.ndarray, curve: np.ndarray, gain: float, out: np.ndarray) -> None:
    """out[c, i] = x[c, i] * curve[i] * gain, written into a reusable buffer."""
    nch, n = x.shape
    for c in nb.prange(nch):
        for i in range(n):
            out[c, i] = x[c, i] * (curve[i] * gain)
