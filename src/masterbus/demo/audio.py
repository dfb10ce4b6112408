"""Short synthesised music for the demo: a chord progression over a kick, hats and a bass line,
quiet (about -20 LUFS) so mastering has work to do. Deterministic from its seed."""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

RATE = 44100
BPM = 100.0
CHORDS = ((57, 60, 64), (53, 57, 60), (48, 52, 55), (55, 59, 62))  # Am F C G


def _hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69) / 12)


def clip_wav(*, seconds: float = 8.0, seed: int = 1) -> bytes:
    """A stereo 24-bit WAV of ``seconds`` of music."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    beat = 60.0 / BPM
    left, right = np.zeros(n), np.zeros(n)
    bar = 4 * beat
    for index, start in enumerate(np.arange(0.0, seconds, bar)):
        chord = CHORDS[index % len(CHORDS)]
        span = (t >= start) & (t < start + bar)
        local = t[span] - start
        swell = np.minimum(local / 0.05, 1.0) * np.exp(-local / 3.0)
        for k, note in enumerate(chord):
            tone = np.sin(2 * np.pi * _hz(note) * local + rng.uniform(0, 6.28))
            tone += 0.3 * np.sin(2 * np.pi * 2 * _hz(note) * local)
            pan = 0.3 + 0.2 * k
            left[span] += (1 - pan) * 0.12 * swell * tone
            right[span] += pan * 0.12 * swell * tone
        bass = np.sin(2 * np.pi * _hz(chord[0] - 24) * local) * np.exp(-(local % beat) / 0.4)
        left[span] += 0.25 * bass
        right[span] += 0.25 * bass
    for hit in np.arange(0.0, seconds, beat):
        start = int(hit * RATE)
        length = min(int(0.25 * RATE), n - start)
        local = np.arange(length) / RATE
        kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-local / 0.03)) * local) * np.exp(-local / 0.12)
        left[start : start + length] += 0.5 * kick
        right[start : start + length] += 0.5 * kick
        off = int((hit + beat / 2) * RATE)
        hat_len = min(int(0.04 * RATE), max(n - off, 0))
        hat = rng.standard_normal(hat_len) * np.exp(-np.arange(hat_len) / (0.01 * RATE))
        left[off : off + hat_len] += 0.05 * hat
        right[off : off + hat_len] += 0.04 * hat
    stereo = np.stack([left, right], axis=1)
    stereo *= 0.1 / max(float(np.sqrt(np.mean(stereo**2))), 1e-9)  # about -20 dBFS RMS
    stereo = np.clip(stereo, -0.99, 0.99)
    buffer = io.BytesIO()
    sf.write(buffer, stereo, RATE, subtype="PCM_24", format="WAV")
    return buffer.getvalue()
