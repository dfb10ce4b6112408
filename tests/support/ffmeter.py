"""An independent loudness meter: ffmpeg's ebur128 filter, run on the imageio-ffmpeg binary.

Every audio bar in the tests is measured with this ruler rather than with the engine's own
meter, so a bug shared by the engine's meter and its mastering chain cannot hide itself.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

# ffmpeg reports -70 LUFS (the absolute gate) when nothing passes the gate: that is silence.
SILENCE_LUFS = -70.0


@dataclass(frozen=True)
class Loudness:
    """ffmpeg's reading of a file: integrated loudness (None for silence), LRA and true peak."""

    integrated_lufs: float | None
    lra_lu: float
    true_peak_dbtp: float


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


_META = re.compile(r"^lavfi\.r128\.(I|LRA|true_peak)=(-?[\d.]+|-?inf|nan)$", re.M)
_SUMMARY_PEAK = re.compile(r"True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS")
_SUMMARY_I = re.compile(r"Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+)\s*LUFS")


def _run_ebur128(input_args: list[str], stdin: bytes | None = None) -> Loudness:
    # The per-frame metadata carries I to 3 decimals (the summary only to 1) and the true peak as
    # a linear value to 3 decimals; near full scale that is finer than the summary's 0.1 dB.
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostats",
        "-nostdin" if stdin is None else "-y",
        *input_args,
        "-af",
        "ebur128=peak=true:framelog=quiet:metadata=1,ametadata=mode=print:file=/dev/stdout",
        "-f",
        "null",
        "-",
    ]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    out = proc.stdout.decode()
    err = proc.stderr.decode()
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg ebur128 failed: {err.strip().splitlines()[-1:]}")
    last: dict[str, float] = {}
    for key, value in _META.findall(out):
        last[key] = float(value)
    summary_i = _SUMMARY_I.search(err)
    summary_peak = _SUMMARY_PEAK.search(err)
    if summary_i is None or summary_peak is None:
        raise RuntimeError(f"no ebur128 summary in ffmpeg output: {err[-500:]}")
    integrated = last.get("I", float(summary_i.group(1)))
    integrated_lufs = None if integrated <= SILENCE_LUFS + 0.05 else integrated
    linear_peak = last.get("true_peak", 0.0)
    if linear_peak >= 0.1:
        true_peak = 20.0 * math.log10(linear_peak)
    else:
        text = summary_peak.group(1)
        true_peak = -math.inf if text == "-inf" else float(text)
    return Loudness(
        integrated_lufs=integrated_lufs, lra_lu=last.get("LRA", 0.0), true_peak_dbtp=true_peak
    )


def measure(path: str | os.PathLike) -> Loudness:
    """Measure any file ffmpeg can decode (WAV, FLAC, AIFF, OGG, MP3)."""
    return _run_ebur128(["-i", str(path)])


def measure_samples(samples: np.ndarray, sample_rate: int) -> Loudness:
    """Measure float samples shaped (frames,) or (frames, channels) without writing a file."""
    data = np.asarray(samples, dtype="<f4")
    channels = 1 if data.ndim == 1 else data.shape[1]
    return _run_ebur128(
        ["-f", "f32le", "-ar", str(sample_rate), "-ac", str(channels), "-i", "pipe:0"],
        stdin=np.ascontiguousarray(data).tobytes(),
    )


def loudnorm_two_pass(
    src: str | os.PathLike,
    dst: str | os.PathLike,
    *,
    target_lufs: float = -14.0,
    true_peak_dbtp: float = -1.0,
    lra: float = 11.0,
) -> None:
    """ffmpeg's own two-pass loudness normalisation, the peer our engine is compared with.

    loudnorm works at 192 kHz internally, so the output is resampled back to the source rate and
    written as 24-bit WAV.
    """
    exe = ffmpeg_exe()
    base = f"loudnorm=I={target_lufs}:TP={true_peak_dbtp}:LRA={lra}"
    first = subprocess.run(
        [
            exe,
            "-hide_banner",
            "-nostdin",
            "-i",
            str(src),
            "-af",
            f"{base}:print_format=json",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    text = first.stderr.decode()
    stats = json.loads(text[text.rindex("{") : text.rindex("}") + 1])
    second = (
        f"{base}:measured_I={stats['input_i']}:measured_LRA={stats['input_lra']}"
        f":measured_TP={stats['input_tp']}:measured_thresh={stats['input_thresh']}"
        f":offset={stats['target_offset']}:linear=true"
    )
    rate = _sample_rate(src)
    subprocess.run(
        [
            exe,
            "-hide_banner",
            "-nostdin",
            "-y",
            "-i",
            str(src),
            "-af",
            second,
            "-ar",
            str(rate),
            "-c:a",
            "pcm_s24le",
            str(dst),
        ],
        capture_output=True,
        check=True,
    )


def _sample_rate(path: str | os.PathLike) -> int:
    import soundfile as sf

    return sf.info(str(Path(path))).samplerate
