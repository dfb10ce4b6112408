"""Energy in one band of an audio file, measured two independent ways: ffmpeg (a one-octave
bandpass, then astats' RMS level) and the engine's own meter (its 1/3-octave spectrum summed
over the octave). Used to prove an EQ change moved what it said it would."""

from __future__ import annotations

import math
import os
import re
import subprocess

import numpy as np

from masterbus.engine import analyze_file
from tests.support.ffmeter import ffmpeg_exe

_RMS = re.compile(r"RMS level dB:\s*(-?[\d.]+|-inf)")


def ffmpeg_band_db(path: str | os.PathLike, centre_hz: float) -> float:
    """RMS level (dBFS) of the mono mix in the octave around ``centre_hz``: three high-passes
    and three low-passes (36 dB per octave each side), so louder bands do not leak in."""
    low, high = centre_hz / math.sqrt(2), centre_hz * math.sqrt(2)
    chain = ",".join(
        ["pan=mono|c0=0.5*c0+0.5*c1"]
        + [f"highpass=f={low:.1f}:poles=2"] * 3
        + [f"lowpass=f={high:.1f}:poles=2"] * 3
        + ["astats=measure_perchannel=none:measure_overall=RMS_level"]
    )
    command = [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", chain]
    result = subprocess.run(
        [*command, "-f", "null", "-"], capture_output=True, text=True, check=True
    )
    return float(_RMS.findall(result.stderr)[-1])


def engine_band_db(path: str | os.PathLike, centre_hz: float) -> float:
    """The engine meter's mid-channel power over the octave around ``centre_hz`` (dB)."""
    spectrum = analyze_file(str(path))["spectrum"]
    freqs = np.array(spectrum["freqs_hz"])
    mid = np.array(spectrum["mid_db"])
    near = (freqs >= centre_hz / math.sqrt(2)) & (freqs <= centre_hz * math.sqrt(2))
    return float(10 * np.log10(np.sum(10 ** (mid[near] / 10))))
