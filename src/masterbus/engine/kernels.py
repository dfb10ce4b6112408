"""Per-sample loops compiled by numba. Audio is (channels, frames) float32, C-contiguous.

Filter state lives in local variables (six times faster than state arrays), cascades run two
sections per pass, and channels run in parallel. ``cache=True`` keeps compiled code on disk; the
set-up step warms the cache (``python -m masterbus.engine.warmup``).
"""

from __future__ import annotations

import numba as nb
import numpy as np

BLOCK = 2048  # samples per work item in the oversampling kernel; keeps buffers in L1/L2


@nb.njit(cache=True, inline="always")
def _coefs(sos: np.ndarray, k: int) -> tuple[float, float, float, float, float]:
    """Section ``k`` of a cascade (rows b0 b1 b2 a0 a1 a2, a0 == 1) as scalars."""
    return sos[k, 0], sos[k, 1], sos[k, 2], sos[k, 4], sos[k, 5]


@nb.njit(cache=True, inline="always")
def _biquad(
    v: float, c: tuple[float, float, float, float, float], z1: float, z2: float
) -> tuple[float, float, float]:
    """One step of a transposed direct-form II section; returns (output, z1, z2).

    Callers keep the state in local variables: six times faster than state arrays."""
    o = c[0] * v + z1
    return o, c[1] * v - c[3] * o + z2, c[2] * v - c[4] * o


@nb.njit(cache=True, fastmath=True)
def _sos_pair(x: np.ndarray, s: np.ndarray, y: np.ndarray) -> None:
    """Two biquad sections of ``s`` over ``x`` into ``y``, in float64 state."""
    ca = _coefs(s, 0)
    cb = _coefs(s, 1)
    z1 = z2 = w1 = w2 = 0.0
    for i in range(x.shape[0]):
        o, z1, z2 = _biquad(np.float64(x[i]), ca, z1, z2)
        p, w1, w2 = _biquad(o, cb, w1, w2)
        y[i] = p


@nb.njit(cache=True, fastmath=True)
def _sos_pair_state(x: np.ndarray, s: np.ndarray, y: np.ndarray, st: np.ndarray) -> None:
    """``_sos_pair`` continuing from, and leaving, its state in ``st`` (4 values): for
    signals filtered block by block."""
    ca = _coefs(s, 0)
    cb = _coefs(s, 1)
    z1, z2, w1, w2 = st[0], st[1], st[2], st[3]
    for i in range(x.shape[0]):
        o, z1, z2 = _biquad(np.float64(x[i]), ca, z1, z2)
        p, w1, w2 = _biquad(o, cb, w1, w2)
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
        ca = _coefs(sos, 0)
        cb = _coefs(sos, 1)
        z1 = z2 = w1 = w2 = 0.0
        for k in range(count):
            acc = 0.0
            for i in range(k * step, (k + 1) * step):
                o, z1, z2 = _biquad(np.float64(x[c, i]), ca, z1, z2)
                p, w1, w2 = _biquad(o, cb, w1, w2)
                acc += p * p
            sums[c, k] = acc
    return sums.sum(axis=0)


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
                    acc[:] = 0.0
                    for k in range(ntap):
                        hk = phases[p, k]
                        seg = buf[k + 1 : k + 1 + m]  # a slice lets LLVM vectorise
                        for j in range(m):
                            acc[j] += hk * seg[j]
                for j in range(m):
                    acc[j] = abs(acc[j])
                    best[j] = max(best[j], acc[j])
                top = phase_peaks[b, p]
                for j in range(m):
                    top = max(top, acc[j])
                phase_peaks[b, p] = top
        if per_frame:
            for j in range(m):
                out[s + j] = best[j]
    return out, phase_peaks


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
    for j in range(out.shape[0]):
        i = start + j
        limit = min(n, i + lookahead)
        while pushed < limit:
            p = peaks[pushed - first] * gain
            need = ceiling / p if p > ceiling else 1.0
            while count > 0 and dq_val[(head + count - 1) % size] >= need:
                count -= 1
            dq_idx[(head + count) % size] = pushed
            dq_val[(head + count) % size] = need
            count += 1
            pushed += 1
        while dq_idx[head] < i:
            head = (head + 1) % size
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
        slot = i % lookahead
        acc += h - hist[slot]
        hist[slot] = h
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
    lo_a = _coefs(lo, 0)
    lo_b = _coefs(lo, 1)
    hi_a = _coefs(hi, 0)
    hi_b = _coefs(hi, 1)
    z1, z2, w1, w2, u1, u2, v1, v2 = st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7]
    env = st[8:11].copy()
    g_prev = st[11:14].copy()
    g_next = st[14:17].copy()
    knee = 6.0
    n = x.shape[0]
    step = 0
    for i in range(n):
        s = np.float64(x[i])
        o, z1, z2 = _biquad(s, lo_a, z1, z2)
        low, w1, w2 = _biquad(o, lo_b, w1, w2)
        o2, u1, u2 = _biquad(s, hi_a, u1, u2)
        high, v1, v2 = _biquad(o2, hi_b, v1, v2)
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
