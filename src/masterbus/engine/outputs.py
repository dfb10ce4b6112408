"""What a master turns into besides its main files: previews (the loudest ~30 s, with fades),
lossy (MP3) deliveries checked by encoding, decoding and measuring them, and resampling."""

from __future__ import annotations

import os

import numpy as np

from masterbus.engine import blockmeter, store
from masterbus.engine.io import Audio, read_audio, write_audio, write_blocks
from masterbus.engine.meter import Loudness, db, guarded_true_peak
from masterbus.engine.store import Frames

PREVIEW_S = 30.0
FADE_S = 1.0


def planar_of(audio: Audio) -> np.ndarray:
    return np.ascontiguousarray(audio.samples.T)  # no copy: read_audio stores planar data


def resample_signal(x: np.ndarray, fs: int, target: int | None) -> tuple[np.ndarray, int]:
    if target is None or target == fs:
        return x, fs
    import soxr  # only when asked: keeps the default path's imports lean

    y = soxr.resample(x.T, fs, target, quality="HQ")
    return np.ascontiguousarray(np.asarray(y, dtype=np.float32).T), target


def preview_window(x: np.ndarray, fs: int, seconds: float = PREVIEW_S) -> tuple[int, int]:
    """Frames (start, end) of the loudest ``seconds`` of a signal."""
    n = x.shape[1]
    if min(n, int(seconds * fs)) >= n:
        return 0, n
    return window_of(n, Loudness.of(x, fs), fs, seconds)


def window_of(n: int, loud: Loudness, fs: int, seconds: float = PREVIEW_S) -> tuple[int, int]:
    """``preview_window`` from a signal's length and loudness measurement."""
    length = min(n, int(seconds * fs))
    if length >= n:
        return 0, n
    per_window = max(1, round(length / loud.step))
    steps = loud.steps
    if len(steps) <= per_window:
        return 0, length
    sums = np.convolve(steps, np.ones(per_window), mode="valid")
    start = int(np.argmax(sums)) * loud.step
    start = min(start, n - length)
    return start, start + length


def write_preview(path: str | os.PathLike, x: np.ndarray, fs: int, window: tuple[int, int]) -> None:
    """An excerpt with short fades; the format follows the extension (mp3 or 16-bit wav)."""
    start, end = window
    clip = np.array(x[:, start:end], dtype=np.float32)
    fade = min(int(FADE_S * fs), clip.shape[1] // 2)
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        clip[:, :fade] *= ramp
        clip[:, -fade:] *= ramp[::-1]
    fmt = "mp3" if str(path).lower().endswith(".mp3") else "wav16"
    write_audio(path, clip.T, fs, fmt)


def lossy_rate(fs: int) -> int:
    """MP3 carries at most 48 kHz: high rates go to 48 or 44.1 kHz (whichever divides)."""
    if fs <= 48000:
        return fs
    return 44100 if fs % 44100 == 0 else 48000


def lossy_signal(x: np.ndarray, fs: int) -> tuple[np.ndarray, int]:
    return resample_signal(x, fs, lossy_rate(fs))


def encode_and_measure(
    path: str | os.PathLike, x: np.ndarray, fs: int, fmt: str
) -> tuple[float, float | None]:
    """Write ``x`` as lossy ``fmt`` at ``path``, decode it, return (true peak, loudness)."""
    signal, rate = lossy_signal(x, fs)
    write_audio(path, signal.T, rate, fmt)
    decoded = read_audio(path)
    planar = planar_of(decoded)
    peak = db(guarded_true_peak(planar, decoded.sample_rate)[0])
    return peak, Loudness.of(planar, decoded.sample_rate).integrated()


def encode_and_measure_long(
    path: str | os.PathLike, x: Frames, fs: int, fmt: str
) -> tuple[float, float | None]:
    """``encode_and_measure`` block by block: resampled, encoded, decoded and measured."""
    rate = lossy_rate(fs)
    write_blocks(path, store.resampled_blocks(x, fs, rate), rate, x.rows, fmt)
    decoded, info = store.load(path, x.folder, 0)
    assert isinstance(decoded, Frames)
    peak = db(blockmeter.guarded_true_peak(decoded, info.sample_rate)[0])
    loudness = blockmeter.loudness_of(decoded, info.sample_rate).integrated()
    decoded.close()
    return peak, loudness
