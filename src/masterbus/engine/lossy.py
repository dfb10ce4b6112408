"""The lossy (MP3) delivery made from a finished master file, not from the chain.

A platform masters into WAV 24 first (what people play) and makes the other formats from that
file. For MP3 the decoded file must keep the ceiling and the loudness target, and the codec
adds peaks: the master itself is the limiter's input here (already at the target, so the gain
is ~0 dB and only the codec's overshoot is limited away), which saves running the whole chain
again.
"""

from __future__ import annotations

import os
from pathlib import Path

from masterbus.engine import blockmeter, blockwise, chain
from masterbus.engine.files import load, scratch_folder
from masterbus.engine.limiter import TruePeakLimiter
from masterbus.engine.meter import Loudness, k_weighted_power
from masterbus.engine.outputs import (
    codec_estimate,
    encode_and_measure,
    encode_and_measure_long,
    lossy_rate,
    planar_of,
)
from masterbus.engine.store import Frames


def lossy_from_master(
    master: str | os.PathLike,
    out: str | os.PathLike,
    fmt: str,
    ceiling_dbtp: float,
    target_lufs: float | None,
    progress: chain.Progress,
) -> dict:
    """``api.lossy_from_master`` once the request is checked."""
    loaded, info = load(master, scratch_folder(Path(out).parent))
    fs = info.sample_rate
    if isinstance(loaded, Frames):
        x = loaded
        limiter: TruePeakLimiter = blockwise.StreamLimiter(x, fs)
        apply = blockwise.applier(x)
        encode = encode_and_measure_long

        def loudness(signal, _result) -> float | None:
            return blockmeter.loudness_of(signal, fs).integrated()

    else:
        x = planar_of(loaded)
        limiter = TruePeakLimiter(x, fs, k_weighted_power(x, fs))
        apply = chain.applier(x)
        encode = encode_and_measure

        def loudness(signal, _result) -> float | None:
            return Loudness.of(signal, fs).integrated()

    def check(signal) -> tuple[float, float | None]:
        progress(0.5, "encoding")  # the caller may stop here (a lost lease, say)
        return encode(out, signal, fs, fmt)

    try:
        _version, stage = chain.lossy_version(
            apply, x, limiter, target_lufs, ceiling_dbtp, check, fs, loudness,
            estimate=None if isinstance(x, Frames) else lambda signal: codec_estimate(signal, fs),
        )  # fmt: skip
    finally:
        if isinstance(x, Frames):
            limiter.peaks.close()
            limiter.power.close()
            x.close()
    entry: dict = {"format": fmt, "sample_rate": lossy_rate(fs)}
    if stage:
        entry["lossy_limiter"] = stage
    return entry
