"""The issue's bars, measured by ffmpeg: loudness within 0.3 LU, true peak under the ceiling."""

from __future__ import annotations

import pytest
import soundfile as sf

from masterbus.engine import FORMATS, MasterSettings, master_file
from tests.support.ffmeter import measure

LOUDNESS_BAR_LU = 0.3
EXTENSIONS = {name: ext for name, (_container, _subtype, ext) in FORMATS.items()}

# (input LUFS, channels, sample rate, tone, dynamic, target): about -30 to -8 LUFS in, mono and
# stereo, 44.1 to 96 kHz, targets -14 and -9; every row is a different song (seed).
LOUDNESS_MATRIX = [
    (-30.0, 2, 44100, "neutral", False, -14.0),
    (-30.0, 1, 48000, "dark", False, -9.0),
    (-24.0, 2, 96000, "bright", False, -14.0),
    (-22.0, 2, 48000, "neutral", True, -9.0),
    (-18.0, 1, 44100, "neutral", False, -14.0),
    (-18.0, 2, 96000, "dark", True, -9.0),
    (-14.0, 2, 44100, "bright", False, -9.0),
    (-12.0, 1, 96000, "neutral", False, -14.0),
    (-10.0, 2, 48000, "dark", False, -14.0),
    (-8.0, 2, 44100, "neutral", False, -9.0),
    (-8.0, 1, 48000, "bright", False, -14.0),
]


@pytest.mark.parametrize(
    ("lufs", "channels", "sample_rate", "tone", "dynamic", "target"), LOUDNESS_MATRIX
)
def test_output_loudness_and_true_peak(
    music, tmp_path, lufs, channels, sample_rate, tone, dynamic, target
):
    seed = LOUDNESS_MATRIX.index((lufs, channels, sample_rate, tone, dynamic, target))
    source = music(
        seconds=16.0 if dynamic else 10.0,
        sample_rate=sample_rate,
        channels=channels,
        lufs=lufs,
        tone=tone,
        dynamic=dynamic,
        seed=seed,
    )
    out = tmp_path / "master.wav"
    master_file(source, {"wav24": out}, MasterSettings(target_lufs=target))
    ruler = measure(out)
    assert ruler.integrated_lufs == pytest.approx(target, abs=LOUDNESS_BAR_LU), ruler
    assert ruler.true_peak_dbtp <= -1.0, ruler


@pytest.mark.parametrize(
    ("case", "ceiling"),
    [
        ("clipped", -1.0),
        ("96k_bright_loud", -1.0),
        ("mono_48k_quiet", -1.0),
        ("clipped", -0.3),
        ("96k_bright_loud", -2.0),
    ],
)
def test_every_format_stays_under_the_ceiling_and_on_target(music, tmp_path, case, ceiling):
    source = {
        "clipped": lambda: music(seconds=10.0, clipped=True, seed=20),
        "96k_bright_loud": lambda: music(seconds=8.0, sample_rate=96000, lufs=-8.0, tone="bright"),
        "mono_48k_quiet": lambda: music(seconds=10.0, sample_rate=48000, channels=1, lufs=-26.0),
    }[case]()
    outputs = {fmt: tmp_path / f"out_{fmt}.{ext}" for fmt, ext in EXTENSIONS.items()}
    master_file(source, outputs, MasterSettings(target_lufs=-14.0, ceiling_dbtp=ceiling))
    source_info = sf.info(str(source))
    for fmt, path in outputs.items():
        ruler = measure(path)
        assert ruler.true_peak_dbtp <= ceiling, (fmt, ruler)
        assert ruler.integrated_lufs == pytest.approx(-14.0, abs=LOUDNESS_BAR_LU), (fmt, ruler)
        written = sf.info(str(path))
        assert written.channels == source_info.channels, fmt
