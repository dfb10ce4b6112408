"""Style previews: one excerpt of the song in every style, sounding like the full master will,
all at one loudness (measured by ffmpeg) with no true-peak overs; the CLI writes them too."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from masterbus.engine import STYLES, EngineError, MasterSettings, master_file
from masterbus.engine.previews import PREVIEW_S, render_previews
from tests.engine.cli import error_lines, run_cli
from tests.support.ffmeter import measure

NAMES = ("original", *STYLES)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, music) -> tuple[dict, object]:
    # a quiet, sparse intro (the first 40 %) before the full song: the excerpt must skip it
    song = music(seconds=60.0, lufs=-20.0, dynamic=True, seed=4)
    out = tmp_path_factory.mktemp("previews")
    return render_previews(song, out, intensity=70, target_lufs=-12.0), song


def test_every_style_and_the_original_play_at_one_loudness_without_overs(rendered):
    report, _song = rendered
    assert list(report["files"]) == list(NAMES)
    readings = {name: measure(path) for name, path in report["files"].items()}
    loudness = [r.integrated_lufs for r in readings.values()]
    assert max(loudness) - min(loudness) <= 0.5, readings  # ffmpeg, not our meter
    assert all(r.true_peak_dbtp <= -0.9 for r in readings.values()), readings
    assert abs(np.mean(loudness) - report["match_lufs"]) <= 0.5
    for path in report["files"].values():
        info = sf.info(path)
        assert info.frames == int(PREVIEW_S * info.samplerate)


def test_the_excerpt_is_the_sustained_loud_part_after_the_intro(rendered):
    report, _song = rendered
    start, end = report["window_s"]
    assert end - start == pytest.approx(PREVIEW_S)
    assert start >= 0.4 * 60.0 - 1.0  # not the quiet intro
    assert report["excerpt_lufs"] > report["song_lufs"]


def test_the_styles_sound_different(rendered):
    report, _song = rendered

    def treble_share(path) -> float:
        x, fs = sf.read(path)
        spectrum = np.abs(np.fft.rfft(x.mean(axis=1))) ** 2
        freqs = np.fft.rfftfreq(len(x), 1 / fs)
        return float(spectrum[freqs > 4000].sum() / spectrum[freqs > 20].sum())

    files = report["files"]
    assert treble_share(files["bright"]) > treble_share(files["balanced"])
    assert treble_share(files["warm"]) < treble_share(files["balanced"])


def test_a_preview_sounds_like_the_same_part_of_the_full_master(rendered, tmp_path):
    report, song = rendered
    settings = MasterSettings(**report["previews"]["warm"]["settings"])
    assert settings == MasterSettings(target_lufs=-12.0, style="warm", intensity=70)
    full = tmp_path / "full.wav"
    master_file(song, {"wav32f": full}, settings)
    x, fs = sf.read(full, dtype="float32")
    start = round(report["window_s"][0] * fs)
    clip = x[start : start + int(PREVIEW_S * fs)]
    preview, _fs = sf.read(report["files"]["warm"], dtype="float32")
    middle = slice(2 * fs, len(clip) - 2 * fs)  # away from the preview's fades
    a, b = clip[middle], preview[middle]
    gain = float(np.dot(a.ravel(), b.ravel()) / np.dot(a.ravel(), a.ravel()))
    residual = b - gain * a
    error_db = 10 * np.log10(np.mean(residual**2) / np.mean(b**2))
    assert error_db < -25.0, error_db  # the same processing: only the limiter's work differs


def test_a_short_song_is_previewed_whole(music, tmp_path):
    song = music(seconds=8.0, lufs=-18.0, seed=2)
    report = render_previews(song, tmp_path, styles=("open",))
    assert report["window_s"] == [0.0, 8.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["open.wav", "original.wav"]


def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(music, tmp_path):
    with pytest.raises(EngineError, match="not found"):
        render_previews(tmp_path / "missing.wav", tmp_path / "out")
    with pytest.raises(EngineError, match="style"):
        render_previews(music(seconds=8.0), tmp_path / "out", styles=("loud",))
    with pytest.raises(EngineError, match="intensity"):
        render_previews(music(seconds=8.0), tmp_path / "out", intensity=120)
    assert not list((tmp_path / "out").glob("*.wav"))


def test_cli_writes_every_preview_and_prints_a_summary(music, tmp_path):
    song = music(seconds=40.0, lufs=-20.0, seed=4)
    out = tmp_path / "previews"
    done = run_cli("preview", song, "-o", out, "--target", "loud", "--report", tmp_path / "r.json")
    assert done.returncode == 0, done.stderr
    assert sorted(p.stem for p in out.iterdir()) == sorted(NAMES)
    lines = done.stdout.splitlines()
    assert "in every style, all at" in lines[0]
    assert [line.split()[0] for line in lines[1:]] == [f"{n}.wav" for n in NAMES]
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["previews"]["bright"]["settings"]["target_lufs"] == -9.0
    refused = run_cli("preview", tmp_path / "missing.wav", "-o", out)
    assert refused.returncode == 2 and error_lines(refused.stderr)[0].startswith("masterbus: error")


def test_a_high_rate_song_is_previewed_at_a_rate_browsers_play(music, tmp_path):
    song = music(seconds=35.0, sample_rate=96000, lufs=-18.0, seed=6)
    report = render_previews(song, tmp_path, styles=("bright",))
    assert report["sample_rate"] == 48000
    readings = [measure(path) for path in report["files"].values()]
    assert all(sf.info(path).samplerate == 48000 for path in report["files"].values())
    assert abs(readings[0].integrated_lufs - readings[1].integrated_lufs) <= 0.5, readings
    assert all(r.true_peak_dbtp <= -0.9 for r in readings), readings


def test_a_clipped_mix_keeps_every_preview_under_the_ceiling(music, tmp_path):
    # a hard-clipped original peaks over 0 dBTP: all previews come down together, none over
    song = music(seconds=40.0, clipped=True, seed=5, lufs=None)
    report = render_previews(song, tmp_path, styles=("balanced", "open"))
    readings = [measure(path) for path in report["files"].values()]
    assert all(r.true_peak_dbtp <= -1.0 for r in readings), readings
    loudness = [r.integrated_lufs for r in readings]
    assert max(loudness) - min(loudness) <= 0.5, readings
