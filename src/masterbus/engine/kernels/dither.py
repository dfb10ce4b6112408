"""TPDF dither and quantisation of float audio to 16 or 24 bits."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, inline="always")
def _xorshift(state: np.uint64) -> np.uint64:
    state ^= state << np.uint64(13)
    state ^= state >> np.uint64(7)
    state ^= state << np.uint64(17)
    return state


@nb.njit(cache=True, inline="always")
def _quantize(v: float, noise: np.uint64, scale: float) -> np.int32:
    """One sample: TPDF dither from the two 32-bit halves of a generator step, rounded and
    clipped to the ``bits`` range."""
    u1 = np.float64(noise & np.uint64(0xFFFFFFFF)) * (1.0 / 4294967296.0)
    u2 = np.float64(noise >> np.uint64(32)) * (1.0 / 4294967296.0)
    q = np.rint(v * scale + (u1 - u2))
    if q > scale - 1:
        q = scale - 1
    elif q < -scale:
        q = -scale
    return np.int32(q)


@nb.njit(cache=True, parallel=True)
def quantize_tpdf(x: np.ndarray, bits: int, seed: int) -> np.ndarray:
    """Round planar (channels, frames) float audio to ``bits`` with TPDF dither.

    Returns interleaved (frames, channels) int32, left-aligned, ready for libsndfile.

    Dither quality needs only independent uniform values, not a cryptographic source: one
    xorshift step gives both uniforms of a sample, and each channel of each block has its own
    generator, so the steps of the two channels overlap instead of waiting on one another.
    """
    nch, n = x.shape
    scale = 2.0 ** (bits - 1)
    shift = 32 - bits
    out = np.empty((n, nch), dtype=np.int32)
    block = 65536
    nblk = (n + block - 1) // block
    for b in nb.prange(nblk):
        base = np.uint64(seed * 1000003 + b * 7919 + 88172645463325252)
        s0 = _xorshift(base)
        s1 = _xorshift(base ^ np.uint64(0x9E3779B97F4A7C15))
        end = min(n, (b + 1) * block)
        if nch == 2:
            for i in range(b * block, end):
                s0 = _xorshift(s0)
                s1 = _xorshift(s1)
                out[i, 0] = _quantize(x[0, i], s0, scale) << shift
                out[i, 1] = _quantize(x[1, i], s1, scale) << shift
        else:
            for i in range(b * block, end):
                for c in range(nch):
                    s0 = _xorshift(s0)
                    out[i, c] = _quantize(x[c, i], s0, scale) << shift
    return out
