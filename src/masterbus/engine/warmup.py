"""Compile every numba kernel into the on-disk cache, so the first real master starts fast.

Run by the set-up step (`make setup`): a first-ever compile takes seconds per kernel. A worker
also calls ``warm_process`` when it starts, so its first job does not pay for loading numba and
the cached kernels (~0.7 s of a 4-minute song's time to playable).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from masterbus.engine import MasterSettings, blockwise, master_file
from masterbus.engine.io import write_audio


def _noise(folder: Path, channels: int) -> Path:
    """One second of quiet noise at 48 kHz: enough for every kernel to run once."""
    src = folder / f"warm{channels}.wav"
    noise = np.random.default_rng(0).standard_normal((48000, channels)) * 0.1
    write_audio(src, noise.astype(np.float32), 48000, "wav32f")
    return src


def warm() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for channels in (1, 2):
            src = _noise(Path(tmp), channels)
            outputs = {fmt: Path(tmp) / f"out{channels}.{fmt}" for fmt in ("wav24", "wav16", "mp3")}
            master_file(src, outputs, MasterSettings(target_lufs=-9.0))
            # the block-wise path's kernels too (long and high-rate files)
            saved = blockwise.STREAM_SAMPLES
            blockwise.STREAM_SAMPLES = 0
            try:
                master_file(src, outputs, MasterSettings(target_lufs=-9.0))
            finally:
                blockwise.STREAM_SAMPLES = saved


def warm_process() -> None:
    """Load the engine, numba and every kernel of the common path into this process: one
    second of stereo noise mastered into WAV 24 with both previews (~0.5 s of CPU)."""
    with tempfile.TemporaryDirectory(prefix="masterbus-warm-") as tmp:
        folder = Path(tmp)
        master_file(
            _noise(folder, 2),
            {"wav24": folder / "out.wav"},
            MasterSettings(),
            preview_path=folder / "preview.wav",
            original_preview_path=folder / "original.wav",
        )


if __name__ == "__main__":
    warm()
