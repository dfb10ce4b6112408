"""TPDF dither and quantisation of float audio to 16 or 24 bits."""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, parallel=True)
def quantize_tpdf(x: np.ndarray, bits: int, seed: int) -> np.ndarray:
    """Round planar (channels, frames) float audio to ``bits`` with TPDF dither.

    Returns interleaved (frames, channels) int32, left-aligned, ready for libsndfile.

    A xorshift generator per block keeps this one fast pass; dither quality needs only
    independent uniform values, not a cryptographic source.
    """
    nch, n = x.shape
    scale = 2.0 ** (bits - 1)
    shift = 32 - bits
    out = np.empty((n, nch), dtype=np.int32)
    block = 65536
    nblk = (n + block - 1) // block
    for b in nb.prange(nblk):
        state = np.uint64(seed * 1000003 + b * 7919 + 88172645463325252)
        for i in range(b * block, min(n, (b + 1) * block)):
            for c in range(nch):
                state ^= state << np.uint64(13)
                state ^= state >> np.uint64(7)
                state ^= state << np.uint64(17)
                u1 = (state >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                state ^= state << np.uint64(13)
                state ^= state >> np.uint64(7)
                state ^= state << np.uint64(17)
                u2 = (state >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                q = np.rint(x[c, i] * scale + (u1 - u2))
                if q > scale - 1:
                    q = scale - 1
                elif q < -scale:
                    q = -scale
                out[i, c] = np.int32(q) << shift
    return out
