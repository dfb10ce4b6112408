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


def warm() -> None:
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        for channels in (1, 2):
            src = Path(tmp) / f"warm{channels}.wav"
            write_audio(
                src,
                (rng.standard_normal((48000, channels)) * 0.1).astype(np.float32),
                48000,
                "wav32f",
            )
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
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="masterbus-warm-") as tmp:
        src = Path(tmp) / "warm.wav"
        write_audio(
            src, (rng.standard_normal((48000, 2)) * 0.1).astype(np.float32), 48000, "wav32f"
        )
        folder = Path(tmp)
        master_file(
            src,
            {"wav24": folder / "out.wav"},
            MasterSettings(),
            preview_path=folder / "preview.wav",
            original_preview_path=folder / "original.wav",
        )


if __name__ == "__main__":
    warm()
