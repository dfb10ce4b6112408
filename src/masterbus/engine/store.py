"""Disk-backed scratch arrays for audio too long to hold in memory.

A ``Frames`` is a (rows, frames) float32 array in unlinked temporary files: it is read and
written by blocks with ``pread``/``pwrite``, so the process holds only the block it works on
(the file's pages live in the kernel's page cache, which the kernel reclaims, never in our
resident memory). The file is unlinked as soon as it is created: nothing is left behind even if
the process is killed, and the space is freed when the object is closed or collected.

``load`` decodes a file into memory or, past a size, into a ``Frames``; ``resample`` and
``resampled_blocks`` convert a ``Frames`` to another rate block by block.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from masterbus.engine import kernels
from masterbus.engine.errors import EngineError
from masterbus.engine.io import Audio, AudioInfo, AudioReader, _check, read_audio

# Frames per block of block-wise work: a multiple of the kernels' 2048-frame blocks, of the
# limiter's 32-frame chunks and of 8 (report statistics), 8 MB per stereo float32 block.
BLOCK_FRAMES = 1 << 20
# Frames of context read on each side of a block by the oversampling kernels (> taps / 2).
CONTEXT = kernels.BLOCK
ITEM = 4  # bytes per float32


class Frames:
    """A (rows, frames) float32 array in scratch files (one per row, so it can grow)."""

    def __init__(self, folder: str | os.PathLike, rows: int, frames: int = 0):
        self.folder = Path(folder)
        self.rows = rows
        self._fds: list[int] = []
        try:
            for _ in range(rows):
                fd, path = tempfile.mkstemp(prefix=".masterbus-scratch-", dir=self.folder)
                os.unlink(path)
                self._fds.append(fd)
                os.ftruncate(fd, frames * ITEM)  # sparse: reads as zeros until written
        except OSError as exc:
            self.close()
            raise EngineError(f"cannot make scratch space in {folder}: {exc.strerror}") from None
        self.frames = frames

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.frames

    def _handles(self) -> list[int]:
        if len(self._fds) != self.rows:
            raise ValueError("scratch array is closed")
        return self._fds

    def read(self, start: int, end: int, out: np.ndarray | None = None) -> np.ndarray:
        """Frames ``start .. end`` (clipped to the array) as a (rows, n) float32 array."""
        start = max(0, start)
        end = min(self.frames, end)
        n = max(0, end - start)
        buf = np.empty((self.rows, n), dtype=np.float32) if out is None else out[:, :n]
        for r, fd in enumerate(self._handles()):
            _pread(fd, buf[r], start * ITEM)
        return buf

    def read_padded(self, start: int, end: int) -> np.ndarray:
        """Frames ``start .. end``, with zeros where that reaches before 0 or past the end."""
        out = np.zeros((self.rows, end - start), dtype=np.float32)
        lo, hi = max(0, start), min(self.frames, end)
        if hi > lo:
            self.read(lo, hi, out[:, lo - start :])
        return out

    def write(self, start: int, data: np.ndarray) -> None:
        """Store (rows, n) ``data`` at frame ``start``."""
        for r, fd in enumerate(self._handles()):
            _pwrite(fd, np.ascontiguousarray(data[r], dtype=np.float32), start * ITEM)
        self.frames = max(self.frames, start + data.shape[1])

    def append(self, data: np.ndarray) -> None:
        self.write(self.frames, data)

    def blocks(self, size: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """(start, block) over the whole array; each block is a fresh array."""
        size = size or BLOCK_FRAMES
        for start in range(0, self.frames, size):
            yield start, self.read(start, start + size)

    def close(self) -> None:
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = []

    def __del__(self) -> None:
        self.close()


def _pread(fd: int, buf: np.ndarray, offset: int) -> None:
    view = memoryview(buf).cast("B")
    done = 0
    while done < len(view):
        got = os.preadv(fd, [view[done:]], offset + done)
        if got <= 0:
            view[done:] = b"\0" * (len(view) - done)  # never written: a sparse hole
            return
        done += got


def _pwrite(fd: int, buf: np.ndarray, offset: int) -> None:
    view = memoryview(buf).cast("B")
    done = 0
    while done < len(view):
        try:
            done += os.pwrite(fd, view[done:], offset + done)
        except OSError as exc:
            raise EngineError(f"cannot write scratch data: {exc.strerror}") from None


def load(
    path: str | os.PathLike,
    folder: str | os.PathLike,
    threshold: int,
    *,
    max_frames: int | None = None,
    max_seconds: float | None = None,
) -> tuple[Audio | Frames, AudioInfo]:
    """Decode a file into memory, or into a scratch array in ``folder`` once it holds more than
    ``threshold`` samples; the same checks and limits as ``io.read_audio``."""
    with AudioReader(path, max_frames, max_seconds) as reader:
        expected = reader.header_frames if reader.exact else None
        if expected is not None and expected * reader.channels <= threshold:
            reader.close()  # small, with an exact length: one array, no list of blocks
            audio = read_audio(path, max_frames=max_frames, max_seconds=max_seconds)
            return audio, AudioInfo(
                audio.sample_rate,
                audio.channels,
                audio.frames,
                audio.frames / audio.sample_rate,
                audio.format,
                audio.subtype,
            )
        blocks: list[np.ndarray] = []
        held = 0
        scratch: Frames | None = None
        for block in reader.blocks():
            if scratch is not None:
                scratch.append(block)
                continue
            blocks.append(block)
            held += block.size
            if held > threshold:
                scratch = Frames(folder, reader.channels)
                for b in blocks:
                    scratch.append(b)
                blocks = []
        info = reader.info(reader.decoded)
    _check(reader.name, info, reader.limit)
    if scratch is not None:
        return scratch, info
    planar = (
        np.concatenate(blocks, axis=1) if blocks else np.zeros((info.channels, 0), dtype=np.float32)
    )
    return Audio(planar.T, info.sample_rate, info.format, info.subtype), info


def resampled_blocks(x: Frames, fs: int, target: int) -> Iterator[np.ndarray]:
    """Planar blocks of ``x`` resampled from ``fs`` to ``target`` (soxr HQ, streaming)."""
    if target == fs:
        for _start, block in x.blocks():
            yield block
        return
    import soxr  # only when asked to resample: keeps the default path's imports lean

    stream = soxr.ResampleStream(fs, target, x.rows, dtype="float32", quality="HQ")
    for start, block in x.blocks():
        last = start + block.shape[1] >= x.frames
        y = stream.resample_chunk(np.ascontiguousarray(block.T), last=last)
        if len(y):
            yield np.ascontiguousarray(np.asarray(y, dtype=np.float32).T)


def resample(x: Frames, fs: int, target: int | None) -> tuple[Frames, int]:
    if target is None or target == fs:
        return x, fs
    out = Frames(x.folder, x.rows)
    for block in resampled_blocks(x, fs, target):
        out.append(block)
    x.close()
    return out, target
