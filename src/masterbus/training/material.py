"""The sound an exercise starts from: pink noise, the built-in music, or an excerpt of the user's
own song. Every source is deterministic from the exercise's seed, stereo (2, frames) float64 at
``TRAINING_SAMPLE_RATE``, and exactly ``TRAINING_CLIP_SECONDS`` long: the cost of a question is
bounded whatever the source.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import soundfile as sf
import soxr
from django.conf import settings

from masterbus.core import storage
from masterbus.demo.audio import RATE as MUSIC_RATE
from masterbus.demo.audio import clip_wav

MUSIC_PIECES = 4  # the built-in set: four renderings of the demo synthesiser


class MaterialError(Exception):
    """The source cannot be read (a song whose original is gone or unreadable)."""


def clip_frames() -> int:
    return int(settings.TRAINING_CLIP_SECONDS * settings.TRAINING_SAMPLE_RATE)


def pink_noise(seed: int, frames: int, width: float = 0.5) -> np.ndarray:
    """Stereo pink noise (-3 dB per octave, shaped in the frequency domain); the side carries
    independent noise ``width`` times the mid's level, so width exercises have an image."""
    rng = np.random.default_rng(seed)
    out = np.empty((2, frames))
    freqs = np.fft.rfftfreq(frames, 1.0 / settings.TRAINING_SAMPLE_RATE)
    shape = 1.0 / np.sqrt(np.maximum(freqs, 20.0))
    for c in range(2):
        spectrum = np.fft.rfft(rng.standard_normal(frames)) * shape
        out[c] = np.fft.irfft(spectrum, frames)
    out /= np.sqrt(np.mean(out**2, axis=1, keepdims=True))
    mid, side = out[0], width * out[1]
    return np.stack([mid + side, mid - side]) * 0.1


@lru_cache(maxsize=MUSIC_PIECES)
def _music_piece(piece: int, seconds: float, rate: int) -> np.ndarray:
    """One piece of the built-in set, rendered on first use in this process (deterministic)."""
    data, _fs = sf.read(io.BytesIO(clip_wav(seconds=seconds, seed=100 + piece)), always_2d=True)
    data = data.T.astype(np.float64)
    if rate != MUSIC_RATE:
        data = soxr.resample(data.T, MUSIC_RATE, rate).T
    return data


def music(seed: int, frames: int) -> np.ndarray:
    rate = settings.TRAINING_SAMPLE_RATE
    piece = _music_piece(seed % MUSIC_PIECES, frames / rate + 0.05, rate)
    return piece[:, :frames].copy()


def song_excerpt(original: str, seed: int, frames: int) -> np.ndarray:
    """A clip-long excerpt of a stored original, read by seeking (never the whole file)."""
    rate = settings.TRAINING_SAMPLE_RATE
    try:
        with storage.local_copy(original) as path, sf.SoundFile(str(path)) as handle:
            need = int(np.ceil(frames * handle.samplerate / rate)) + 64
            span = max(0, handle.frames - need)
            start = int(np.random.default_rng(seed).integers(0, span + 1)) if span else 0
            handle.seek(start)
            data = handle.read(min(need, handle.frames), dtype="float64", always_2d=True)
            source_rate = handle.samplerate
    except (OSError, RuntimeError, sf.LibsndfileError) as exc:
        raise MaterialError("The song's original could not be read.") from exc
    if data.shape[0] == 0:
        raise MaterialError("The song is empty.")
    if data.shape[1] == 1:
        data = np.repeat(data, 2, axis=1)
    data = data[:, :2]
    if source_rate != rate:
        data = soxr.resample(data, source_rate, rate)
    data = data.T[:, :frames]
    if data.shape[1] < frames:  # a song shorter than a clip: loop it
        data = np.tile(data, (1, frames // max(1, data.shape[1]) + 1))[:, :frames]
    return np.ascontiguousarray(data)
