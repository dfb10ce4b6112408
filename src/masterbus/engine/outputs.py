"""What a master turns into besides its main files: previews (the loudest ~30 s, with fades),
lossy (MP3) deliveries checked by encoding, decoding and measuring them, and resampling."""

from __future__ import annotations

import math
import os

import numpy as np

from masterbus.engine import blockmeter, filters, store
from masterbus.engine.io import Audio, read_audio, write_audio, write_blocks
from masterbus.engine.kernels import BLOCK, measures
from masterbus.engine.meter import Loudness, db, guarded_true_peak, spectrum_plan
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


# MP3 320 (LAME) passes up to ~19.5 kHz and stops by ~20.5 kHz (measured on white noise at 44.1
# and 48 kHz): ``codec_estimate`` models that low-pass, which is what makes most of a decoded
# MP3's overshoot and loudness loss.
CODEC_PASS_HZ = 19300.0
CODEC_STOP_HZ = 20100.0
ESTIMATE_PAD = 8192  # zeros after the signal: the filter's ringing does not wrap around


# Only regions whose sample peaks come within this of the loudest are low-passed and read: the
# codec's low-pass moved peaks by at most ~1.6 dB on our masters.
PEAK_WINDOW_DB = 3.0
REGION_PAD = 4096  # frames of context each side of a region (the low-pass rings ~2 ms)
JOIN = 32  # frames of fade and of silence between the regions read together


def codec_estimate(x: np.ndarray, fs: int) -> tuple[float, float]:
    """What the lossy codec will make of ``x`` (channels, frames), without encoding: the true
    peak (dBTP) of ``x`` low-passed to the codec's band (zero-phase, by FFT) and the loudness
    change (LU, K-weighted energy of the frames ``meter.spectrum`` uses) of that low-pass.

    On 22 masters (-14 and -9 LUFS, 44.1 to 96 kHz) the decoded MP3 peaked at most 0.23 dB
    above this peak (the codec's quantisation noise) and lost ~90 % of this loudness. Only the
    regions that can hold the top peak (``PEAK_WINDOW_DB``) are low-passed: it is an estimate;
    the decoded file is measured whole.
    """
    from scipy import fft  # only the lossy path pays for the import

    change = _codec_loudness_change(x, fs)
    x, fs = lossy_signal(x, fs)  # as the encoder gets it
    n = x.shape[1]
    if n == 0:
        return -math.inf, 0.0
    tops = measures.block_abs_max(x, BLOCK)
    pieces: list[np.ndarray] = []
    ramp = np.linspace(0.0, 1.0, JOIN, dtype=np.float32)
    for start, end, inner_start, inner_end in _regions(
        tops >= tops.max() * 10 ** (-PEAK_WINDOW_DB / 20), n
    ):
        size = fft.next_fast_len(end - start, real=True)
        first = int(CODEC_PASS_HZ * size / fs)
        gain = _codec_gain(np.arange(first, size // 2 + 1) * (fs / size))
        spectrum = fft.rfft(x[:, start:end], n=size, axis=1)
        spectrum[:, first:] *= gain
        low = fft.irfft(spectrum, n=size, axis=1)[:, inner_start:inner_end]
        # faded in and out within the margin beyond the run, then a gap: the pieces are read
        # in one pass without the interpolator ringing on a cut
        low[:, :JOIN] *= ramp
        low[:, -JOIN:] *= ramp[::-1]
        pieces += [low, np.zeros((x.shape[0], JOIN), dtype=np.float32)]
    joined = np.ascontiguousarray(np.concatenate(pieces, axis=1), dtype=np.float32)
    peak = guarded_true_peak(joined, fs)[0]
    return db(peak), change


def _regions(active: np.ndarray, n: int) -> list[tuple[int, int, int, int]]:
    """(start, end, inner start, inner end) frames: runs of active blocks (merged when their
    contexts touch) with ``REGION_PAD`` of context; inner is relative to start, a little wider
    than the run so the interpolator has its neighbours."""
    gap = 2 * REGION_PAD // BLOCK + 1
    runs: list[list[int]] = []
    for block in np.flatnonzero(active):
        if runs and block - runs[-1][1] <= gap:
            runs[-1][1] = int(block) + 1
        else:
            runs.append([int(block), int(block) + 1])
    regions = []
    for first, last in runs:
        run_start, run_end = first * BLOCK, min(n, last * BLOCK)
        start, end = max(0, run_start - REGION_PAD), min(n, run_end + REGION_PAD)
        margin = 2 * JOIN
        regions.append(
            (
                start,
                end,
                max(0, run_start - start - margin),
                min(end - start, run_end - start + margin),
            )
        )
    return regions


def _codec_gain(freqs: np.ndarray) -> np.ndarray:
    fall = np.clip((CODEC_STOP_HZ - freqs) / (CODEC_STOP_HZ - CODEC_PASS_HZ), 0.0, 1.0)
    return (0.5 - 0.5 * np.cos(np.pi * fall)).astype(np.float32)


def _codec_loudness_change(x: np.ndarray, fs: int) -> float:
    """The codec low-pass's loudness change (LU), from the long-term spectrum's frames (at the
    signal's own rate: what resampling for the codec removes counts too)."""
    nfft, starts = spectrum_plan(x.shape[1], fs)
    freqs = np.fft.rfftfreq(nfft, 1 / fs)
    weight = 10 ** (filters.response_db(filters.k_weighting(fs), freqs, fs) / 10)
    window = np.hanning(nfft).astype(np.float32)
    power = np.zeros(len(freqs))
    for start in starts:
        frame = x[:, start : start + nfft]
        if frame.shape[1] < nfft:
            frame = np.pad(frame, ((0, 0), (0, nfft - frame.shape[1])))
        spectrum = np.fft.rfft(frame * window, axis=1)
        power += (spectrum.real**2 + spectrum.imag**2).sum(axis=0)
    total = float(np.dot(power, weight))
    kept = float(np.dot(power, weight * _codec_gain(freqs) ** 2))
    return 10 * math.log10(kept / total) if total > 0 and kept > 0 else 0.0


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
