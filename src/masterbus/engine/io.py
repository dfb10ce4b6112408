"""Reading and writing audio: format by content, atomic writes, dither when reducing bit depth."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from masterbus.engine.errors import EngineError
from masterbus.engine.settings import FORMATS

MAX_CHANNELS = 2
MIN_SAMPLE_RATE = 8000
# 192 kHz is the highest rate a user needs; above it a file only costs memory and time.
MAX_SAMPLE_RATE = 192000
# Shorter than this there is not enough audio to measure or master (one 400 ms loudness block).
MIN_DURATION_S = 0.01
# The longest audio the engine reads (callers pass their own, smaller limit): a bound on the
# work a file can ask for, whatever its header says.
MAX_DURATION_S = 3600.0
# libsndfile's frame count for a stream whose header gives no length (e.g. FLAC with 0 samples).
UNKNOWN_FRAMES = 2**63 - 1
# What probe decodes to check that the data is audio (the full check is read_audio's).
PROBE_CHECK_FRAMES = 1 << 16
DECODE_BLOCK = 1 << 18

INTEGER_SUBTYPES = ("PCM_", "ULAW", "ALAW")  # decode to scaled integers: never NaN or inf
# Containers we accept as input; libsndfile recognises them by their bytes, not the name.
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


def _clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour up."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _check(name: str, info: AudioInfo, limit: int | None = None, known: bool = True) -> None:
    """What a decoded (or, ``known``, stated) length tells, after the header's checks."""
    _check_header(name, info)
    if info.frames <= 0:
        raise EngineError(f"{name}: the file contains no audio")
    if info.duration_s < MIN_DURATION_S:
        raise EngineError(
            f"{name}: only {info.duration_s * 1000:.1f} ms of audio; at least 10 ms is needed"
        )
    if limit is not None and info.frames > limit:
        raise _too_long(name, limit, info.sample_rate, info.frames if known else None)


def _check_header(name: str, info: AudioInfo) -> None:
    """What the header alone tells: container, channels and rate we can master."""
    if info.format not in INPUT_CONTAINERS:
        raise EngineError(f"{name}: {info.format} files are not supported")
    if info.channels > MAX_CHANNELS:
        raise EngineError(f"{name}: {info.channels} channels; only mono and stereo can be mastered")
    if info.sample_rate > MAX_SAMPLE_RATE:
        raise EngineError(
            f"{name}: sample rate {info.sample_rate} Hz is above the {MAX_SAMPLE_RATE // 1000} kHz "
            f"we master; resample it to {MAX_SAMPLE_RATE // 1000} kHz or lower"
        )
    if info.sample_rate < MIN_SAMPLE_RATE:
        raise EngineError(f"{name}: unsupported sample rate {info.sample_rate} Hz")


def _too_long(name: str, limit: int, sample_rate: int, frames: int | None = None) -> EngineError:
    """Over the limit, with the length when it is known (the header states it)."""
    longest = _clock(limit / sample_rate)
    if frames is None:
        return EngineError(f"{name}: the audio is longer than {longest}, the longest we master")
    length = _clock(-(-frames // sample_rate))  # rounded up
    return EngineError(f"{name}: the audio is {length} long; the longest we master is {longest}")


def frame_limit(
    sample_rate: int, max_frames: int | None = None, max_seconds: float | None = None
) -> int:
    """The most frames a file may hold: the engine's bound, or the caller's if smaller."""
    limit = int(MAX_DURATION_S * sample_rate)
    if max_seconds is not None:
        limit = min(limit, int(max_seconds * sample_rate))
    if max_frames is not None:
        limit = min(limit, max_frames)
    return max(0, limit)


def _read_into(f: sf.SoundFile, buf: np.ndarray) -> int:
    """Decode up to ``len(buf)`` frames into ``buf`` (frames, channels) float32; the count.

    Calls libsndfile directly: soundfile's ``read`` seeks after each block to track the
    position, which fails on streams whose header gives no length (FLAC with 0 samples)."""
    ptr = sf._ffi.cast("float *", buf.ctypes.data)
    got = int(sf._snd.sf_readf_float(f._file, ptr, buf.shape[0]))
    error = sf._snd.sf_error(f._file)
    if error:
        raise sf.LibsndfileError(error)
    return got


class AudioReader:
    """An open audio file, decoded block by block and never past a frame limit.

    The container's header gives the rate, channels and (for most formats) the length without
    decoding anything: ``header_frames`` (None when the header has no length; an estimate for
    MP3). ``blocks`` decodes planar float32 blocks and raises EngineError as soon as the data
    holds more than ``limit`` frames, so a header that lies cannot make us decode more.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        max_frames: int | None = None,
        max_seconds: float | None = None,
    ):
        self.name = Path(path).name
        self._file = _open(path)
        f = self._file
        self.sample_rate = int(f.samplerate)
        self.channels = int(f.channels)
        self.format = str(f.format)
        self.subtype = str(f.subtype)
        frames = int(f.frames)
        self.header_frames: int | None = None if frames >= UNKNOWN_FRAMES or frames < 0 else frames
        self.exact = self.header_frames is not None and self.format != "MP3"
        self.limit = frame_limit(self.sample_rate, max_frames, max_seconds)
        self.decoded = 0
        try:
            _check_header(self.name, self.info(0))
        except BaseException:
            f.close()
            raise

    def check_stated_length(self) -> None:
        """Refuse a file whose header states an exact length over the limit (nothing decoded)."""
        if self.exact and self.header_frames is not None and self.header_frames > self.limit:
            raise _too_long(self.name, self.limit, self.sample_rate, self.header_frames)

    def info(self, frames: int) -> AudioInfo:
        rate = self.sample_rate
        return AudioInfo(
            sample_rate=rate,
            channels=self.channels,
            frames=frames,
            duration_s=frames / rate if rate else 0.0,
            format=self.format,
            subtype=self.subtype,
        )

    def blocks(self, size: int = DECODE_BLOCK, stop: int | None = None) -> Iterator[np.ndarray]:
        """Planar (channels, frames) float32 blocks, NaN/inf replaced; at most ``stop`` frames
        in all (then it just stops), and EngineError past ``limit``."""
        for view in self.views(size, stop):
            block = view.T.copy()  # a new array: the view's buffer is reused for the next block
            self.clean(block)
            yield block

    def views(self, size: int = DECODE_BLOCK, stop: int | None = None) -> Iterator[np.ndarray]:
        """``blocks`` as uncleaned (see ``clean``) interleaved views of one reused buffer."""
        buf = np.empty((size, self.channels), dtype=np.float32)
        while stop is None or self.decoded < stop:
            want = size if stop is None else min(size, stop - self.decoded)
            try:
                got = _read_into(self._file, buf[:want])
            except (sf.LibsndfileError, RuntimeError) as exc:
                raise EngineError(f"{self.name}: the audio data is damaged ({exc})") from None
            if got <= 0:
                return
            self.decoded += got
            if stop is None and self.decoded > self.limit:
                raise _too_long(self.name, self.limit, self.sample_rate)
            yield buf[:got]

    def clean(self, block: np.ndarray) -> None:
        """Replace NaN/inf (float files can carry them; they would poison every measurement)
        in a decoded block, in place. Integer samples (PCM, FLAC, A-law) need no check."""
        if not self.subtype.startswith(INTEGER_SUBTYPES) and not np.isfinite(block).all():
            np.nan_to_num(block, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> AudioReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def probe(
    path: str | os.PathLike, *, max_seconds: float | None = None, max_frames: int | None = None
) -> AudioInfo:
    """Identify audio by its content and check that we can master it, cheaply whatever the
    bytes say: rate, channels and length come from the container's headers (FLAC STREAMINFO,
    WAV/AIFF chunk sizes; an estimate for MP3), and only a first block is decoded to see that
    the data is audio. A stream without a length in its header is decoded up to the limit
    (``max_seconds``/``max_frames``, at most ``MAX_DURATION_S``) plus one frame, then it stops.
    Refuses (EngineError) audio longer than the limit. The full check that every block
    decodes is ``read_audio``'s, in the worker.
    """
    with AudioReader(path, max_frames, max_seconds) as reader:
        if reader.header_frames is None:
            for _block in reader.blocks(stop=reader.limit + 1):
                pass
            frames = reader.decoded
        else:
            frames = reader.header_frames
            for _block in reader.blocks(stop=min(frames, PROBE_CHECK_FRAMES)):
                pass
            if frames > 0 and reader.decoded == 0:
                frames = 0  # the header promises audio that is not there
        info = reader.info(frames)
        _check(reader.name, info, reader.limit, known=reader.header_frames is not None)
    return info


def read_audio(
    path: str | os.PathLike, *, max_frames: int | None = None, max_seconds: float | None = None
) -> Audio:
    """Read a whole file as float32 (frames, channels); bad input raises EngineError.

    ``samples`` is a transposed view of a planar (channels, frames) array: the engine works
    planar, and decoding block by block into it avoids a second full-size copy. Decoding stops
    with EngineError as soon as the data holds more than the limit (``max_frames`` /
    ``max_seconds``, at most ``MAX_DURATION_S``), whatever the header said.
    """
    with AudioReader(path, max_frames, max_seconds) as reader:
        reader.check_stated_length()
        if reader.exact and reader.header_frames is not None:
            planar = np.empty((reader.channels, reader.header_frames), dtype=np.float32)
        else:
            planar = np.empty((reader.channels, 0), dtype=np.float32)
        extra = []
        at = 0
        for view in reader.views():
            n = view.shape[0]
            if at + n <= planar.shape[1]:
                block = planar[:, at : at + n]
                block[...] = view.T  # straight into place: no intermediate copy
            else:
                extra.append(block := view.T.copy())
            reader.clean(block)
            at += n
        if extra:
            kept = at - sum(b.shape[1] for b in extra)
            planar = np.concatenate([planar[:, :kept], *extra], axis=1)
        elif planar.shape[1] != at:
            planar = planar[:, :at]  # a header that promised more frames than the file holds
        info = reader.info(at)
    _check(reader.name, info, reader.limit)
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
    """Write one delivery format atomically: a temp file in the same folder, then rename.
    ``samples`` is (frames, channels); 16/24-bit formats get TPDF dither."""
    planar = samples.T if samples.ndim == 2 else samples[None, :]
    write_blocks(path, [planar], sample_rate, planar.shape[0], fmt)


def write_blocks(
    path: str | os.PathLike,
    blocks: Iterable[np.ndarray],
    sample_rate: int,
    channels: int,
    fmt: str,
) -> None:
    """``write_audio`` for planar (channels, n) float32 blocks, written as they come (TPDF
    dither block by block), atomically: a temp file in the same folder, then rename."""
    if fmt not in FORMATS:
        raise EngineError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    container, subtype, _ext = FORMATS[fmt]
    target = Path(path)
    check_writable(target)
    bits = {"PCM_16": 16, "PCM_24": 24}.get(subtype)
    # 320 kbps CBR where libsndfile writes the MP3 (the MPEG-2 rates: see engine.mp3)
    kwargs = {"compression_level": 0.0, "bitrate_mode": "CONSTANT"} if container == "MP3" else {}
    tmp = _temp_beside(target)
    try:
        # numba (and lameenc) load only when writing: reading and probing stay lean
        from masterbus.engine import mp3
        from masterbus.engine.kernels.dither import quantize_tpdf

        if not (container == "MP3" and mp3.write_file(tmp, blocks, sample_rate, channels)):
            with sf.SoundFile(
                tmp, "w", sample_rate, channels, subtype=subtype, format=container, **kwargs
            ) as out:
                for i, block in enumerate(blocks):
                    if bits is not None:
                        data = np.ascontiguousarray(block, dtype=np.float32)
                        out.write(quantize_tpdf(data, bits, 1 + i))
                    else:
                        out.write(np.ascontiguousarray(block.T))
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
