"""The three-band mid/side compressor, one channel per thread.

It inlines the biquad helpers of ``biquads``; numba's cache tracks only this file, so after
editing those helpers clear ``__pycache__`` (or touch this file) before warming the cache.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from masterbus.engine.kernels.biquads import biquad, coefs

MULTIBAND_STATE = 17  # per channel: 8 filter memories, 3 envelopes, 3 + 3 control gains


def multiband_state(channels: int) -> np.ndarray:
    """Fresh state for ``multiband_compress``: silence before the start."""
    state = np.zeros((channels, MULTIBAND_STATE))
    state[:, 8:11] = 1e-10
    state[:, 11:17] = 1.0
    return state


@nb.njit(cache=True, fastmath=True)
def _one_channel_multiband(
    x: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    thresh: np.ndarray,
    ratio: np.ndarray,
    attack: np.ndarray,
    release: np.ndarray,
    band_scale: np.ndarray,
    control: int,
    y: np.ndarray,
    gr_out: np.ndarray,
    st: np.ndarray,
) -> None:
    """Three-band downward compressor on one channel, fused into a single pass.

    Bands: low = LR4 low-pass (``lo``), high = LR4 high-pass (``hi``), mid = the rest, so the
    bands always sum back to the input. Detection is RMS-like (one-pole on power), gain is
    computed every ``control`` frames with a soft knee and interpolated linearly.
    ``band_scale`` multiplies each band after compression (used for mono-safe bass in the side).
    ``gr_out[b, k]`` records the gain reduction (dB) of band b at control step k. ``st`` carries
    the state between blocks of a longer signal (blocks start at multiples of ``control``).
    """
    lo_a = coefs(lo, 0)
    lo_b = coefs(lo, 1)
    hi_a = coefs(hi, 0)
    hi_b = coefs(hi, 1)
    z1, z2, w1, w2, u1, u2, v1, v2 = st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7]
    env = st[8:11].copy()
    g_prev = st[11:14].copy()
    g_next = st[14:17].copy()
    knee = 6.0
    n = x.shape[0]
    step = 0
    for i in range(n):
        s = np.float64(x[i])
        o, z1, z2 = biquad(s, lo_a, z1, z2)
        low, w1, w2 = biquad(o, lo_b, w1, w2)
        o2, u1, u2 = biquad(s, hi_a, u1, u2)
        high, v1, v2 = biquad(o2, hi_b, v1, v2)
        mid = s - low - high
        band0 = low
        band1 = mid
        band2 = high
        for b in range(3):
            v = band0 if b == 0 else (band1 if b == 1 else band2)
            pw = v * v
            coef = attack[b] if pw > env[b] else release[b]
            env[b] = coef * env[b] + (1.0 - coef) * pw
        phase = i % control
        if phase == 0:
            for b in range(3):
                g_prev[b] = g_next[b]
                level = 10.0 * np.log10(env[b] + 1e-20)
                over = level - thresh[b]
                if over <= -knee / 2:
                    red = 0.0
                elif over >= knee / 2:
                    red = over * (1.0 - 1.0 / ratio[b])
                else:
                    t = over + knee / 2
                    red = (1.0 - 1.0 / ratio[b]) * t * t / (2.0 * knee)
                g_next[b] = 10.0 ** (-red / 20.0)
                if step < gr_out.shape[1]:
                    gr_out[b, step] = red
            step += 1
        f = (phase + 1.0) / control
        g0 = (g_prev[0] + (g_next[0] - g_prev[0]) * f) * band_scale[0]
        g1 = (g_prev[1] + (g_next[1] - g_prev[1]) * f) * band_scale[1]
        g2 = (g_prev[2] + (g_next[2] - g_prev[2]) * f) * band_scale[2]
        y[i] = g0 * band0 + g1 * band1 + g2 * band2
    st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7] = z1, z2, w1, w2, u1, u2, v1, v2
    st[8:11] = env
    st[11:14] = g_prev
    st[14:17] = g_next


@nb.njit(cache=True, parallel=True)
def multiband_compress(
    x: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    thresh: np.ndarray,
    ratio: np.ndarray,
    attack: np.ndarray,
    release: np.ndarray,
    band_scale: np.ndarray,
    control: int,
    y: np.ndarray,
    state: np.ndarray,
) -> np.ndarray:
    """Run ``_one_channel_multiband`` on every channel (per-channel parameters, shape (ch, 3)).

    Writes into ``y`` (which may be ``x``); returns the gain reduction per control step.
    ``state`` (see ``multiband_state``) carries over to the next block of a longer signal."""
    nch, n = x.shape
    steps = (n + control - 1) // control
    gr = np.zeros((nch, 3, steps), dtype=np.float32)
    for c in nb.prange(nch):
        _one_channel_multiband(
            x[c],
            lo,
            hi,
            thresh[c],
            ratio[c],
            attack,
            release,
            band_scale[c],
            control,
            y[c],
            gr[c],
            state[c],
        )
    return gr


@nb.njit(cache=True, parallel=True)
def sum_difference(x: np.ndarray, scale: float) -> None:
    """x[0], x[1] = scale * (x[0] + x[1]), scale * (x[0] - x[1]) in place, in threads: the
    M/S turns of a 4-minute stereo song took 0.14 s as numpy passes (a temporary, three sweeps),
    ~0.01 s here."""
    s = np.float32(scale)
    for i in nb.prange(x.shape[1]):
        a = x[0, i]
        b = x[1, i]
        x[0, i] = (a + b) * s
        x[1, i] = (a - b) * s
