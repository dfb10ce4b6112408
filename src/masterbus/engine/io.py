"""Reading and writing audio: format by content, atomic writes, dither when reducing bit depth."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from masterbus.engine.errors import EngineError
from masterbus.engine.settings import FORMATS

MAX_CHANNELS = 2
MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 384000
# Shorter than this there is not enough audio to measure or master (one 400 ms loudness block).
MIN_DURATION_S = 0.01

# Containers we accept as input; libsndfile recognises them by their bytes, not the name.
DECODE_TO_CHECK = {"MP3", "FLAC", "OGG"}
INPUT_CONTAINERS = {"WAV", "WAVEX", "RF64", "W64", "AIFF", "FLAC", "OGG", "MP3", "CAF"}


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    frames: int
    duration_s: float
    format: str
    subtype: str


@dataclass
class Audio:
    samples: np.ndarray  # float32 (frames, channels), a view of planar (channels, frames)
    sample_rate: int
    format: str
    subtype: str

    @property
    def channels(self) -> int:
        return self.samples.shape[1]

    @property
    def frames(self) -> int:
        return self.samples.shape[0]


def _open(path: str | os.PathLike) -> sf.SoundFile:
    p = Path(path)
    if not p.exists():
        raise EngineError(f"{p.name}: file not found")
    if p.is_dir():
        raise EngineError(f"{p.name}: is a folder, not an audio file")
    if p.stat().st_size == 0:
        raise EngineError(f"{p.name}: the file is empty")
    try:
        return sf.SoundFile(str(p))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        pass
    # libsndfile needs a hint for MP3 without an ID3 tag; that is still content-based: it will
    # reject anything that does not decode as MPEG audio.
    with contextlib.suppress(sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return sf.SoundFile(str(p), format="MP3")
    raise EngineError(f"{p.name}: not a readable audio file (expected WAV, AIFF, FLAC, OGG or MP3)")


def _check(name: str, info: AudioInfo) -> None:
    if info.format not in INPUT_CONTAINERS:
        raise EngineError(f"{name}: {info.format} files are not supported")
    if info.channels > MAX_CHANNELS:
        raise EngineError(f"{name}: {info.channels} channels; only mono and stereo can be mastered")
    if not MIN_SAMPLE_RATE <= info.sample_rate <= MAX_SAMPLE_RATE:
        raise EngineError(f"{name}: unsupported sample rate {info.sample_rate} Hz")
    if info.frames <= 0:
        raise EngineError(f"{name}: the file contains no audio")
    if info.duration_s < MIN_DURATION_S:
        raise EngineError(
            f"{name}: only {info.duration_s * 1000:.1f} ms of audio; at least 10 ms is needed"
        )


def probe(path: str | os.PathLike) -> AudioInfo:
    """Identify audio by its content and check that we can master it (cheap: reads headers)."""
    name = Path(path).name
    with _open(path) as f:
        frames = f.frames
        if frames <= 0 or f.format in DECODE_TO_CHECK:
            # compressed formats carry the length in a header (MP3: an estimate): decoding is the
            # only way to know that the audio is all there and undamaged
            frames = _count_frames(f, name)
        info = AudioInfo(
            sample_rate=f.samplerate,
            channels=f.channels,
            frames=frames,
            duration_s=frames / f.samplerate if f.samplerate else 0.0,
            format=f.format,
            subtype=f.subtype,
        )
    _check(name, info)
    return info


def _count_frames(f: sf.SoundFile, name: str) -> int:
    total = 0
    try:
        f.seek(0)
        for block in f.blocks(blocksize=1 << 16, dtype="float32", always_2d=True):
            total += block.shape[0]
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise EngineError(f"{name}: the audio data is damaged ({exc})") from None
    return total


def read_audio(path: str | os.PathLike) -> Audio:
    """Read a whole file as float32 (frames, channels); bad input raises EngineError.

    ``samples`` is a transposed view of a planar (channels, frames) array: the engine works
    planar, and decoding block by block into it avoids a second full-size copy.
    """
    name = Path(path).name
    with _open(path) as f:
        channels = f.channels
        exact = f.format != "MP3" and f.frames > 0  # MP3 frame counts are estimates
        planar = np.empty((channels, f.frames if exact else 0), dtype=np.float32)
        blocks = []
        at = 0
        try:
            for block in f.blocks(blocksize=1 << 18, dtype="float32", always_2d=True):
                if exact and at + block.shape[0] <= planar.shape[1]:
                    planar[:, at : at + block.shape[0]] = block.T
                else:
                    blocks.append(np.ascontiguousarray(block.T))
                at += block.shape[0]
        except (sf.LibsndfileError, RuntimeError, MemoryError) as exc:
            raise EngineError(f"{name}: the audio data is damaged ({exc})") from None
        if blocks:
            planar = np.concatenate(
                [planar[:, : at - sum(b.shape[1] for b in blocks)], *blocks], axis=1
            )
        elif planar.shape[1] != at:
            planar = planar[:, :at]  # a header that promised more frames than the file holds
        info = AudioInfo(
            sample_rate=f.samplerate,
            channels=channels,
            frames=at,
            duration_s=at / f.samplerate if f.samplerate else 0.0,
            format=f.format,
            subtype=f.subtype,
        )
    _check(name, info)
    if not np.isfinite(planar).all():
        # Float files can carry NaN/inf; they would poison every measurement.
        np.nan_to_num(planar, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return Audio(
        samples=planar.T,
        sample_rate=info.sample_rate,
        format=info.format,
        subtype=info.subtype,
    )


def check_writable(path: str | os.PathLike) -> None:
    """Refuse, with a one-line reason, an output path that cannot be written (checked before
    any work is spent on it)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise EngineError(f"output folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise EngineError(f"output folder {folder} is not writable")
    if target.is_dir():
        raise EngineError(f"output {target} is a folder")


def _temp_beside(target: Path) -> str:
    """A temp file in the target's folder (same file system, so the final rename is atomic)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".masterbus-", suffix=".part", dir=folder)
    except OSError as exc:
        raise EngineError(f"cannot write {target.name} in {folder}: {exc.strerror}") from None
    os.close(fd)
    return tmp


def write_audio(path: str | os.PathLike, samples: np.ndarray, sample_rate: int, fmt: str) -> None:
    """Write one delivery format atomically: a temp file in the same folder, then rename."""
    if fmt not in FORMATS:
        raise EngineError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    container, subtype, _ext = FORMATS[fmt]
    target = Path(path)
    check_writable(target)
    data = samples
    bits = {"PCM_16": 16, "PCM_24": 24}.get(subtype)
    if bits is not None:
        from masterbus.engine.kernels import quantize_tpdf  # numba: only when writing

        data = quantize_tpdf(np.ascontiguousarray(samples.T, dtype=np.float32), bits, 1)
    kwargs: dict = {}
    if container == "MP3":
        kwargs = {"compression_level": 0.0, "bitrate_mode": "CONSTANT"}  # 320 kbps CBR
    tmp = _temp_beside(target)
    try:
        sf.write(tmp, data, sample_rate, format=container, subtype=subtype, **kwargs)
        os.replace(tmp, target)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise EngineError(f"could not write {target.name}: {exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_text(path: str | os.PathLike, text: str) -> None:
    """Write a small text file (a report) atomically, with the same errors as audio output."""
    target = Path(path)
    check_writable(target)
    tmp = _temp_beside(target)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
