"""The listener's own moves on top of a style: EQ adjustments (``eq_adjust``) and stereo width.

Band energy and loudness are read by ffmpeg (bandpass + astats, ebur128) as well as by the
engine's meter; the loudness target and the true-peak ceiling must hold with the moves applied.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from masterbus.cli import main
from masterbus.engine import (
    EngineError,
    MasterSettings,
    analyze_file,
    blockwise,
    master_file,
    store,
)
from tests.support.ffmeter import ffmpeg_exe, measure

_RMS = re.compile(r"Overall\s*\n(?:.*\n)*?.*RMS level dB:\s*(-?[\d.]+|-inf)")


def _band_rms_db(path: Path, lo: float, hi: float) -> float:
    """ffmpeg's RMS level (dB) of the mid signal between ``lo`` and ``hi`` Hz (an FFT brick-wall
    band: a biquad band-pass's skirts let the louder bass below leak in)."""
    keep = f"between(b*sr/2/nb,{lo},{hi})"
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostats", "-nostdin", "-i", str(path),
        "-af", f"pan=mono|c0=0.5*c0+0.5*c1,afftfilt=real='re*{keep}':imag='im*{keep}',astats",
        "-f", "null", "-",
    ]  # fmt: skip
    err = subprocess.run(cmd, capture_output=True, check=True).stderr.decode()
    match = _RMS.search(err)
    assert match, err[-500:]
    return float(match.group(1))


def _engine_band_db(path: Path, lo: float, hi: float) -> float:
    """The engine meter's long-term mid spectrum, as power summed over [lo, hi) Hz."""
    spectrum = analyze_file(path)["spectrum"]
    freqs = np.array(spectrum["freqs_hz"])
    power = 10 ** (np.array(spectrum["mid_db"]) / 10)
    return float(10 * np.log10(power[(freqs >= lo) & (freqs < hi)].sum()))


def _side_to_mid_db(path: Path, lo: float = 0.0, hi: float = 1e9) -> float:
    """Side over mid energy (dB) of a stereo file, between ``lo`` and ``hi`` Hz."""
    x, sr = sf.read(str(path), dtype="float64", always_2d=True)
    spectra = np.abs(np.fft.rfft(np.stack([x[:, 0] + x[:, 1], x[:, 0] - x[:, 1]]), axis=1)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / sr)
    band = (freqs >= lo) & (freqs < hi)
    return float(10 * np.log10(spectra[1, band].sum() / spectra[0, band].sum()))


def _master(source: Path, out: Path, **options) -> dict:
    return master_file(source, {"wav24": out}, MasterSettings(**options))


def test_a_cut_at_250_hz_takes_energy_out_there_and_keeps_the_bars(music, tmp_path):
    source = music(seconds=10.0, lufs=-20.0, seed=71)
    plain, cut = tmp_path / "plain.wav", tmp_path / "cut.wav"
    _master(source, plain)
    report = _master(source, cut, eq_adjust=[[250, -4]])  # a JSON list, as a job stores it
    ff_drop = _band_rms_db(cut, 210, 300) - _band_rms_db(plain, 210, 300)
    engine_drop = _engine_band_db(cut, 210, 300) - _engine_band_db(plain, 210, 300)
    assert ff_drop < -2.0, ff_drop
    assert engine_drop < -2.0, engine_drop
    # far from the move, the tone is about what it was (the level is renormalised to target)
    assert abs(_band_rms_db(cut, 3000, 6000) - _band_rms_db(plain, 3000, 6000)) < 1.0
    for path in (plain, cut):
        ff = measure(path)
        assert ff.integrated_lufs == pytest.approx(-14.0, abs=0.2)
        assert ff.true_peak_dbtp <= -1.0 + 0.05
    eq_stage = next(s for s in report["stages"] if s["name"] == "eq")
    assert eq_stage["adjust"] == [{"type": "peak", "freq_hz": 250.0, "gain_db": -4.0}]
    assert any("-4.0 dB at 250 Hz" in note for note in report["notes"])
    assert report["settings"]["eq_adjust"] == [[250.0, -4.0]]


def test_the_moves_hold_when_mastering_block_by_block(music, tmp_path, monkeypatch):
    monkeypatch.setattr(blockwise, "STREAM_SAMPLES", 0)
    monkeypatch.setattr(store, "BLOCK_FRAMES", 2048 * 5)
    source = music(seconds=10.0, lufs=-20.0, seed=71)
    plain, cut = tmp_path / "plain.wav", tmp_path / "cut.wav"
    _master(source, plain, target_lufs=-9.0)
    _master(source, cut, target_lufs=-9.0, eq_adjust=((250, -4), (40, 3)), width=120)
    assert _band_rms_db(cut, 210, 300) - _band_rms_db(plain, 210, 300) < -2.0
    ff = measure(cut)
    assert ff.integrated_lufs == pytest.approx(-9.0, abs=0.2)
    assert ff.true_peak_dbtp <= -1.0 + 0.05


def test_width_scales_the_side_and_keeps_the_bass_mono_safe(music, tmp_path):
    source = music(seconds=10.0, lufs=-20.0, seed=72)
    ratios = {}
    bass = {}
    for width in (50, 100, 150):
        out = tmp_path / f"w{width}.wav"
        report = _master(source, out, width=width)
        ratios[width] = _side_to_mid_db(out, 300)
        bass[width] = _side_to_mid_db(out, 20, 80)
        ff = measure(out)
        assert ff.integrated_lufs == pytest.approx(-14.0, abs=0.2)
        assert ff.true_peak_dbtp <= -1.0 + 0.05
        stereo = next(s for s in report["stages"] if s["name"] == "stereo")
        if width != 100:
            assert any(f"{width} %" in note for note in report["notes"])
        assert stereo["width_percent"] == width
    # 50 % of the side is -6 dB, 150 % is +3.5 dB (compression moves it a little)
    assert ratios[50] - ratios[100] == pytest.approx(-6.0, abs=1.0)
    assert ratios[150] - ratios[100] == pytest.approx(3.5, abs=1.0)
    # the lows stay as mono-safe as the style leaves them, however wide the rest
    assert abs(bass[150] - bass[100]) < 0.5 and abs(bass[50] - bass[100]) < 0.5


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"eq_adjust": [[250, 7]]}, "gain 7 at 250 Hz is out of range (-6 to +6 dB)"),
        ({"eq_adjust": [[10, 1]]}, "frequency 10 is out of range (20 to 20000 Hz)"),
        ({"eq_adjust": [[300, 1]] * 7}, "at most 6 EQ adjustments"),
        ({"eq_adjust": [[300]]}, "is not a (frequency Hz, gain dB) pair"),
        ({"eq_adjust": [["300", 1]]}, "must hold two numbers"),
        ({"eq_adjust": [[300, float("nan")]]}, "must hold two numbers"),
        ({"eq_adjust": "250:-2"}, "must be a list of (frequency Hz, gain dB) pairs"),
        ({"eq_adjust": ["250-2"]}, "is not FREQ:GAIN"),
        ({"width": 40}, "width 40 is out of range (50 to 150 %)"),
        ({"width": 151}, "width 151 is out of range"),
        ({"width": "wide"}, "width must be a number"),
    ],
)
def test_bad_moves_are_refused_clearly(options, message):
    with pytest.raises(EngineError) as err:
        MasterSettings(**options)
    assert message in str(err.value)


def test_settings_round_trip_through_json_and_old_jobs_still_load():
    chosen = MasterSettings(eq_adjust=((250, -2.5), (3500, -2)), width=110)
    stored = chosen.to_dict()
    assert stored["eq_adjust"] == [[250.0, -2.5], [3500.0, -2.0]]
    assert MasterSettings(**stored) == chosen
    old = {k: v for k, v in stored.items() if k not in ("eq_adjust", "width")}
    assert MasterSettings(**old).eq_adjust == () and MasterSettings(**old).width == 100.0


def test_cli_flags(music, tmp_path, capsys):
    source = music(seconds=6.0, lufs=-20.0, seed=73)
    out, report = tmp_path / "m.wav", tmp_path / "r.json"
    args = ["master", str(source), "-o", str(out), "--report", str(report)]
    code = main([*args, "--eq", "250:-2.5", "--eq", "3500:-2", "--width", "110"])
    assert code == 0
    settings = json.loads(report.read_text())["settings"]
    assert settings["eq_adjust"] == [[250.0, -2.5], [3500.0, -2.0]] and settings["width"] == 110
    assert main([*args, "--eq", "250"]) == 2
    assert "is not FREQ:GAIN" in capsys.readouterr().err
    assert main([*args, "--width", "200"]) == 2
    assert "width 200 is out of range" in capsys.readouterr().err
