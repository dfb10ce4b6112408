"""The delivery formats made from the WAV 24 master once the job is playable.

The engine masters into WAV 24 and the previews first: that is what people play and download
first. The other formats come from that file: WAV 16 (TPDF-dithered by the engine's writer),
FLAC (the same 24-bit samples, losslessly: read and written as integers), both streamed block
by block. MP3 320 is the engine's lossy delivery of the same master (``mp3`` here is a
callable from the runner): the engine keeps the decoded file under the ceiling *and* on the
loudness target, estimating the codec's low-pass before it encodes (one encode in the common
case) and measuring the decoded file. It is the slow part and runs in its own thread
(libsndfile releases the GIL while encoding) while the other two are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import soundfile as sf

from masterbus.engine import FORMATS

MADE_FROM_MASTER = ("wav16", "flac", "mp3")
BLOCK_FRAMES = 1 << 16


def file_name(fmt: str) -> str:
    return f"{fmt}.{FORMATS[fmt][2]}"


def make(
    master: Path, folder: Path, formats: list[str], mp3: Callable[[Path, Path], dict]
) -> Iterator[tuple[str, Path, dict]]:
    """Write each of ``formats`` into ``folder`` (WAV 16 and FLAC from ``master``, MP3 with
    ``mp3(master, path)``, which returns its report entry); yield (format, path, report
    entry) as each is finished, MP3 (the slowest) in parallel with the others."""
    writers: dict[str, Callable[[Path], dict]] = {
        "wav16": lambda path: _wav16(master, path),
        "flac": lambda path: _flac(master, path),
        "mp3": lambda path: mp3(master, path),
    }
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="masterbus-formats")
    try:
        order = sorted(formats, key=lambda fmt: fmt != "mp3")  # the long one starts first
        running: dict[Future, str] = {
            pool.submit(writers[fmt], folder / file_name(fmt)): fmt for fmt in order
        }
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                fmt = running.pop(future)
                yield fmt, folder / file_name(fmt), future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _blocks(master: Path, dtype: str) -> Iterator[np.ndarray]:
    with sf.SoundFile(master) as source:
        yield from source.blocks(BLOCK_FRAMES, dtype=dtype, always_2d=True)


def _wav16(master: Path, path: Path) -> dict:
    from masterbus.engine.io import write_blocks

    info = sf.info(str(master))
    planar = (np.ascontiguousarray(block.T) for block in _blocks(master, "float32"))
    write_blocks(path, planar, info.samplerate, info.channels, "wav16")
    return {"format": "wav16", "sample_rate": info.samplerate, "from": "wav24", "dither": "TPDF"}


def _flac(master: Path, path: Path) -> dict:
    """The master's 24-bit samples, unchanged (integers in, integers out: no new dither)."""
    info = sf.info(str(master))
    with sf.SoundFile(
        path, "w", info.samplerate, info.channels, subtype="PCM_24", format="FLAC"
    ) as out:
        for block in _blocks(master, "int32"):
            out.write(block)
    return {"format": "flac", "sample_rate": info.samplerate, "from": "wav24"}
