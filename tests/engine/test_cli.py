"""The ``masterbus`` command end to end, as installed in the virtual environment."""

from __future__ import annotations

import json

import pytest
import soundfile as sf

from masterbus.engine import analyze_file
from tests.engine.cli import run_cli
from tests.support.ffmeter import measure


def test_analyze_json_agrees_with_the_library(music):
    source = music(seconds=8.0, lufs=-17.0, seed=60)
    result = run_cli("analyze", source, "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    direct = analyze_file(source)
    assert set(printed) == set(direct)
    for key in ("integrated_lufs", "true_peak_dbtp", "lra_lu", "sample_rate", "channels"):
        assert printed[key] == pytest.approx(direct[key], abs=0.01), key
    assert printed["integrated_lufs"] == pytest.approx(measure(source).integrated_lufs, abs=0.1)


def test_analyze_for_people_names_the_numbers(music):
    result = run_cli("analyze", music(seconds=8.0, lufs=-17.0, seed=60))
    assert result.returncode == 0, result.stderr
    assert "LUFS" in result.stdout and "dBTP" in result.stdout
    assert "-17" in result.stdout


def test_master_loud_flac_with_a_report(music, tmp_path):
    source = music(seconds=10.0, lufs=-20.0, seed=61)
    out, report_path = tmp_path / "loud.flac", tmp_path / "r.json"
    result = run_cli(
        "master", source, "-o", out, "--target", "loud", "--format", "flac",
        "--report", report_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sf.info(str(out)).format == "FLAC"
    ruler = measure(out)
    assert ruler.integrated_lufs == pytest.approx(-9.0, abs=0.3)
    assert ruler.true_peak_dbtp <= -1.0
    report = json.loads(report_path.read_text())
    assert report["settings"]["target_lufs"] == -9.0
    assert report["output"]["integrated_lufs"] == pytest.approx(ruler.integrated_lufs, abs=0.1)
    assert len(report["stages"]) >= 5


def test_master_with_every_option(music, tmp_path):
    source = music(seconds=8.0, lufs=-22.0, tone="dark", seed=62)
    reference = music(seconds=8.0, lufs=-12.0, tone="bright", seed=63)
    out = tmp_path / "m.wav"
    result = run_cli(
        "master", source, "-o", out, "--target", "-12.5", "--ceiling", "-2", "--style", "warm",
        "--intensity", "30", "--reference", reference, "--amount", "60", "--format", "wav16",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    info = sf.info(str(out))
    assert (info.format, info.subtype) == ("WAV", "PCM_16")
    ruler = measure(out)
    assert ruler.integrated_lufs == pytest.approx(-12.5, abs=0.3)
    assert ruler.true_peak_dbtp <= -2.0


def test_master_with_a_reference_and_no_target_matches_its_loudness(music, tmp_path):
    source = music(seconds=8.0, lufs=-22.0, seed=64)
    reference = music(seconds=8.0, lufs=-11.0, tone="bright", seed=65)
    out = tmp_path / "m.wav"
    result = run_cli("master", source, "-o", out, "--reference", reference)
    assert result.returncode == 0, result.stderr
    assert measure(out).integrated_lufs == pytest.approx(
        measure(reference).integrated_lufs, abs=0.3
    )


def test_album(music, tmp_path):
    tracks = [music(seconds=6.0, lufs=-20.0, seed=66), music(seconds=6.0, lufs=-15.0, seed=67)]
    out_dir = tmp_path / "album"
    result = run_cli("album", *tracks, "-o", out_dir)
    assert result.returncode == 0, result.stderr
    written = sorted(p for p in out_dir.iterdir() if not p.name.startswith("."))
    audio = [p for p in written if p.suffix == ".wav"]
    assert len(audio) == 2, written
    rulers = [measure(path) for path in audio]
    assert all(ruler.true_peak_dbtp <= -1.0 for ruler in rulers), rulers
    loudness = [ruler.integrated_lufs for ruler in rulers]
    assert max(loudness) == pytest.approx(-14.0, abs=0.5), loudness
    assert max(loudness) - min(loudness) < 1.5, loudness


def test_album_refuses_a_bad_track_before_writing_anything(music, tmp_path):
    good = music(seconds=4.0, lufs=-20.0, seed=68)
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    out_dir = tmp_path / "album"
    out_dir.mkdir()
    result = run_cli("album", good, bad, "-o", out_dir)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "bad.wav" in result.stderr
    assert list(out_dir.iterdir()) == []
