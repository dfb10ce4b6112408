"""Property tests: no level, length, channel count or sample rate gets past the ceiling or makes
NaN/inf. Output is 32-bit float, so nothing above full scale is hidden by clipping on write."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from masterbus.engine import EngineError, MasterSettings, analyze_file, master_file
from masterbus.engine.io import MIN_DURATION_S
from tests.support.ffmeter import measure
from tests.support.music import render_music, write_audio

COMMON_RATES = (44100, 48000, 88200, 96000, 176400, 192000)
KINDS = ("music", "noise", "square", "impulses", "sine_fs4", "dc")


def _signal(kind: str, frames: int, channels: int, sr: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(frames) / sr
    if kind == "music":
        x = render_music(max(frames / sr, 1.0), sr, channels, seed=seed)[:frames]
        return x.astype(np.float64)
    if kind == "noise":
        return rng.standard_normal((frames, channels)) * 0.3
    if kind == "square":  # full of inter-sample overs once limited
        return np.sign(np.sin(2 * np.pi * 997 * t))[:, None].repeat(channels, 1) * 0.9
    if kind == "impulses":
        x = np.zeros((frames, channels))
        x[rng.integers(0, frames, size=max(1, frames // 2000))] = 1.0
        return x
    if kind == "sine_fs4":  # samples 3 dB below the true peak
        return np.sin(2 * np.pi * sr / 4 * t + np.pi / 4)[:, None].repeat(channels, 1) * 0.7
    return np.full((frames, channels), 0.5)  # DC


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(KINDS),
    level_db=st.floats(-60.0, 30.0),
    duration_s=st.one_of(st.floats(0.0, 0.05), st.floats(0.05, 3.0)),
    channels=st.sampled_from((1, 2)),
    sample_rate=st.one_of(st.sampled_from(COMMON_RATES), st.integers(44100, 192000)),
    ceiling=st.sampled_from((-1.0, -0.1, -3.0)),
    target=st.sampled_from((-14.0, -9.0, -23.0)),
    seed=st.integers(0, 1000),
)
@example("noise", 0.0, 0.0, 1, 44100, -1.0, -14.0, 0)  # one sample
@example("noise", 0.0, 0.001, 2, 48000, -1.0, -14.0, 0)  # one millisecond
@example("square", 30.0, 1.0, 2, 192000, -1.0, -9.0, 1)
@example("sine_fs4", 20.0, 2.0, 1, 44100, -0.1, -9.0, 2)
@example("music", 24.0, 3.0, 2, 96000, -1.0, -9.0, 3)
def test_limiter_never_passes_the_ceiling(
    tmp_path, kind, level_db, duration_s, channels, sample_rate, ceiling, target, seed
):
    frames = max(1, round(duration_s * sample_rate))
    samples = _signal(kind, frames, channels, sample_rate, seed) * 10 ** (level_db / 20)
    source = write_audio(tmp_path / "in.wav", samples.astype(np.float32), sample_rate, "wavf")
    out = tmp_path / "out.wav"
    out.unlink(missing_ok=True)
    settings_ = MasterSettings(target_lufs=target, ceiling_dbtp=ceiling)
    if frames / sample_rate < MIN_DURATION_S:
        with pytest.raises(EngineError) as err:
            master_file(source, {"wav32f": out}, settings_)
        assert "\n" not in str(err.value) and str(err.value)
        assert not out.exists()
        return
    master_file(source, {"wav32f": out}, settings_)
    mastered, written_rate = sf.read(str(out), dtype="float32", always_2d=True)
    assert written_rate == sample_rate
    assert mastered.shape == (frames, channels)
    assert np.isfinite(mastered).all()
    ours = analyze_file(out)["true_peak_dbtp"]
    assert ours is None or ours <= ceiling, ours
    ruler = measure(out).true_peak_dbtp
    assert ruler <= ceiling, ruler


def test_nan_and_inf_in_a_float_file_do_not_poison_the_master(tmp_path):
    samples = render_music(4.0, 48000, 2, seed=7)
    samples[1000:1010] = np.nan
    samples[5000] = np.inf
    samples[6000] = -np.inf
    source = write_audio(tmp_path / "nan.wav", samples, 48000, "wavf")
    out = tmp_path / "out.wav"
    master_file(source, {"wav32f": out}, MasterSettings())
    mastered, _ = sf.read(str(out), dtype="float32")
    assert np.isfinite(mastered).all()
    assert measure(out).true_peak_dbtp <= -1.0
