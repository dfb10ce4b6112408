"""Compile every numba kernel into the on-disk cache, so the first real master starts fast.

Run by the set-up step (`make setup`): a first-ever compile takes seconds per kernel.
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
            outputs = {fmt: Path(tmp) / f"out{channels}.{fmt}" for fmt in ("wav24", "wav16")}
            master_file(src, outputs, MasterSettings(target_lufs=-9.0))
            # the block-wise path's kernels too (long and high-rate files)
            saved = blockwise.STREAM_SAMPLES
            blockwise.STREAM_SAMPLES = 0
            try:
                master_file(src, outputs, MasterSettings(target_lufs=-9.0))
            finally:
                blockwise.STREAM_SAMPLES = saved


if __name__ == "__main__":
    warm()
