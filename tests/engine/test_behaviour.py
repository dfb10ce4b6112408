"""What mastering does to music: channels, rates, formats, styles, intensity, reference, album,
the report, odd inputs, the preview and progress. Loudness and spectra are measured independently
(ffmpeg and tests.support.spectrum), not with the engine's own meter."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from masterbus.engine import STYLES, MasterSettings, master_album, master_file
from tests.support.ffmeter import measure, measure_samples
from tests.support.music import level_to_lufs, render_music, write_audio
from tests.support.spectrum import (
    high_minus_low_db,
    third_octave_db,
    tonal_balance,
    tonal_distance,
)


def _read(path) -> tuple[np.ndarray, int]:
    samples, sr = sf.read(str(path), dtype="float32", always_2d=True)
    return samples, sr


def _balance(path) -> np.ndarray:
    return tonal_balance(*_read(path))


@pytest.mark.parametrize("sample_rate", [44100, 48000, 96000])
def test_mono_stays_mono_and_the_rate_is_kept(music, tmp_path, sample_rate):
    source = music(seconds=6.0, sample_rate=sample_rate, channels=1, lufs=-20.0, seed=30)
    outputs = {"wav24": tmp_path / "m.wav", "flac": tmp_path / "m.flac"}
    master_file(source, outputs, MasterSettings())
    for path in outputs.values():
        info = sf.info(str(path))
        assert info.channels == 1
        assert info.samplerate == sample_rate
        assert info.frames == pytest.approx(6.0 * sample_rate, abs=2)


def test_sample_rate_changes_only_when_asked(music, tmp_path):
    source = music(seconds=6.0, sample_rate=96000, lufs=-20.0, seed=31)
    out = tmp_path / "44k.wav"
    master_file(source, {"wav24": out}, MasterSettings(sample_rate=44100))
    info = sf.info(str(out))
    assert info.samplerate == 44100
    assert info.frames == pytest.approx(6.0 * 44100, abs=50)
    assert measure(out).integrated_lufs == pytest.approx(-14.0, abs=0.3)


def test_formats_and_subtypes(music, tmp_path):
    source = music(seconds=8.0, lufs=-20.0, seed=32)
    expected = {
        "wav24": ("m24.wav", "WAV", "PCM_24"),
        "wav16": ("m16.wav", "WAV", "PCM_16"),
        "wav32f": ("m32.wav", "WAV", "FLOAT"),
        "flac": ("m.flac", "FLAC", None),
        "mp3": ("m.mp3", "MP3", "MPEG_LAYER_III"),
    }
    outputs = {fmt: tmp_path / name for fmt, (name, _c, _s) in expected.items()}
    report = master_file(source, outputs, MasterSettings())
    assert set(report["outputs"]) == set(expected)
    for fmt, (_name, container, subtype) in expected.items():
        info = sf.info(str(outputs[fmt]))
        assert info.format == container, fmt
        if subtype:
            assert info.subtype == subtype, fmt
    assert sf.info(str(outputs["flac"])).subtype in {"PCM_16", "PCM_24"}
    kbps = outputs["mp3"].stat().st_size * 8 / 8.0 / 1000
    assert 300 <= kbps <= 340, f"MP3 is {kbps:.0f} kbps, expected 320"
    # 16-bit output is dithered: the quantisation error is noise-like, not a copy of the signal.
    wav16, _ = _read(outputs["wav16"])
    wav32, _ = _read(outputs["wav32f"])
    error = wav16 - np.clip(wav32, -1, 1)
    assert np.std(error) * 32768 == pytest.approx(np.sqrt(1 / 12 + 1 / 6), rel=0.35)


def test_bright_has_more_high_end_than_warm(music, tmp_path):
    source = music(seconds=10.0, lufs=-18.0, seed=33)
    tilt = {}
    for style in ("warm", "bright"):
        out = tmp_path / f"{style}.wav"
        master_file(source, {"wav24": out}, MasterSettings(style=style, intensity=70))
        tilt[style] = high_minus_low_db(*_read(out))
    assert tilt["bright"] - tilt["warm"] >= 1.5, tilt


def test_every_style_sounds_different(music, tmp_path):
    source = music(seconds=8.0, lufs=-18.0, seed=34)
    balances = {}
    for style in STYLES:
        out = tmp_path / f"{style}.wav"
        master_file(source, {"wav32f": out}, MasterSettings(style=style, intensity=80))
        samples, sr = _read(out)
        mid = third_octave_db((samples[:, 0] + samples[:, 1]) / 2, sr)
        side = third_octave_db((samples[:, 0] - samples[:, 1]) / 2, sr)
        # Mid shape plus side level relative to mid: a change of width counts, not only of tone.
        balances[style] = np.concatenate([mid - mid.mean(), side - mid.mean()])
    for i, a in enumerate(STYLES):
        for b in STYLES[i + 1 :]:
            assert tonal_distance(balances[a], balances[b]) > 0.3, (a, b)


def test_intensity_zero_changes_less_than_hundred(music, tmp_path):
    source = music(seconds=10.0, lufs=-18.0, tone="dark", seed=35)
    before = _balance(source)
    distance = {}
    for intensity in (0, 100):
        out = tmp_path / f"i{intensity}.wav"
        master_file(source, {"wav24": out}, MasterSettings(style="bright", intensity=intensity))
        distance[intensity] = tonal_distance(before, _balance(out))
    assert distance[100] > distance[0] + 1.0, distance


def test_reference_mode_moves_the_tone_toward_the_reference(music, tmp_path):
    source = music(seconds=10.0, lufs=-20.0, tone="dark", seed=36)
    reference = music(seconds=10.0, lufs=-11.0, tone="bright", seed=37)
    target = _balance(reference)
    reference_lufs = measure(reference).integrated_lufs
    distance = {"input": tonal_distance(_balance(source), target)}
    for amount in (0, 50, 100):
        out = tmp_path / f"ref{amount}.wav"
        report = master_file(
            source,
            {"wav24": out},
            MasterSettings(target_lufs=None, reference_amount=amount),
            reference_path=reference,
        )
        distance[amount] = tonal_distance(_balance(out), target)
        assert measure(out).integrated_lufs == pytest.approx(reference_lufs, abs=0.3), amount
        assert measure(out).true_peak_dbtp <= -1.0
        json.dumps(report)
    assert distance[100] < distance[50] < distance[0], distance
    assert distance[100] < 0.5 * distance["input"], distance


def test_reference_with_an_explicit_target_uses_the_target(music, tmp_path):
    source = music(seconds=8.0, lufs=-20.0, tone="dark", seed=38)
    reference = music(seconds=8.0, lufs=-11.0, tone="bright", seed=39)
    out = tmp_path / "ref.wav"
    master_file(source, {"wav24": out}, MasterSettings(target_lufs=-16.0), reference_path=reference)
    assert measure(out).integrated_lufs == pytest.approx(-16.0, abs=0.3)


def test_album_keeps_the_interlude_quiet_and_the_tone_consistent(music, tmp_path):
    songs = [
        music(seconds=10.0, lufs=-20.0, tone="dark", seed=40),
        music(seconds=10.0, lufs=-12.0, tone="bright", seed=41),
    ]
    # A sparse 4 s interlude (chords and pad only), 8 LU below the quieter song.
    interlude_samples = render_music(10.0, 44100, 2, seed=42, dynamic=True)[: 44100 * 4]
    interlude_samples = level_to_lufs(interlude_samples, 44100, -28.0)
    interlude = write_audio(tmp_path / "interlude.wav", interlude_samples, 44100, "wav24")
    tracks = [songs[0], interlude, songs[1]]
    out_dir = tmp_path / "album"
    out_dir.mkdir()
    reports = master_album(tracks, out_dir, MasterSettings(target_lufs=-14.0), formats=("wav24",))
    assert len(reports) == 3
    paths = [report["outputs"]["wav24"] for report in reports]
    loudness = [measure(path).integrated_lufs for path in paths]
    for path in paths:
        assert measure(path).true_peak_dbtp <= -1.0
    # Consistent loudness: two full songs 8 LU apart in the mix end up close together, at the
    # target; only the interlude keeps its (intended) distance.
    assert max(loudness[0], loudness[2]) == pytest.approx(-14.0, abs=0.5), loudness
    assert abs(loudness[0] - loudness[2]) < 1.5, loudness
    assert loudness[1] < min(loudness[0], loudness[2]) - 3.0, loudness

    single = tmp_path / "interlude_single.wav"
    master_file(interlude, {"wav24": single}, MasterSettings(target_lufs=-14.0))
    assert loudness[1] < measure(single).integrated_lufs - 3.0

    before = tonal_distance(_balance(songs[0]), _balance(songs[1]))
    after = tonal_distance(_balance(paths[0]), _balance(paths[2]))
    assert after < 0.8 * before, (before, after)


def test_report_has_every_stage_and_before_after_numbers(music, tmp_path):
    source = music(seconds=8.0, lufs=-22.0, seed=43)
    out = tmp_path / "m.wav"
    report = master_file(source, {"wav24": out}, MasterSettings(target_lufs=-14.0))
    json.dumps(report)
    for key in ("settings", "input", "output", "stages", "feedback", "notes", "outputs"):
        assert key in report, key
    assert report["settings"]["target_lufs"] == -14.0
    names = [stage["name"] for stage in report["stages"]]
    assert len(names) >= 5 and len(set(names)) == len(names), names
    for stage in report["stages"]:
        assert len(stage) > 1, f"stage {stage['name']} reports no settings or statistics"
    ruler_in, ruler_out = measure(source), measure(out)
    assert report["input"]["integrated_lufs"] == pytest.approx(ruler_in.integrated_lufs, abs=0.1)
    assert report["output"]["integrated_lufs"] == pytest.approx(ruler_out.integrated_lufs, abs=0.1)
    assert report["output"]["true_peak_dbtp"] <= -1.0
    # The A/B gain brings the master back to the original's loudness.
    expected_ab = ruler_in.integrated_lufs - ruler_out.integrated_lufs
    assert report["ab_match_gain_db"] == pytest.approx(expected_ab, abs=0.3)
    assert all(isinstance(line, str) and line for line in report["feedback"])
    assert str(report["outputs"]["wav24"]) == str(out)


@pytest.mark.parametrize("level_db", [-60.0, -75.0])
def test_near_silent_input_is_not_blindly_boosted(tmp_path, level_db):
    samples = render_music(8.0, 44100, 2, seed=44) * 10 ** ((level_db + 3) / 20)
    source = write_audio(tmp_path / "quiet.wav", samples, 44100, "wav24")
    out = tmp_path / "m.wav"
    report = master_file(source, {"wav32f": out}, MasterSettings(target_lufs=-14.0))
    mastered, _ = _read(out)
    assert np.isfinite(mastered).all()
    gain_db = 20 * np.log10(np.max(np.abs(mastered)) / np.max(np.abs(samples)))
    assert gain_db < 40.0, f"boosted by {gain_db:.1f} dB"
    assert report["notes"], "the report must say what was done with a near-silent input"


def test_digital_silence_stays_silent(tmp_path):
    source = write_audio(tmp_path / "silence.wav", np.zeros((44100 * 3, 2), "f4"), 44100, "wav24")
    out = tmp_path / "m.wav"
    report = master_file(source, {"wav24": out}, MasterSettings())
    mastered, _ = _read(out)
    assert np.max(np.abs(mastered)) < 10 ** (-80 / 20)
    assert report["notes"]
    assert report["output"]["integrated_lufs"] is None
    json.dumps(report)


def test_louder_input_is_turned_down_not_squashed(music, tmp_path):
    source = music(seconds=10.0, lufs=-8.0, seed=45)
    before = measure(source)
    out = tmp_path / "m.wav"
    report = master_file(source, {"wav24": out}, MasterSettings(target_lufs=-14.0))
    after = measure(out)
    assert after.integrated_lufs == pytest.approx(-14.0, abs=0.3)
    # Peak-to-loudness ratio may not shrink: the limiter has 6 dB of room it does not need.
    plr_before = before.true_peak_dbtp - before.integrated_lufs
    plr_after = after.true_peak_dbtp - after.integrated_lufs
    assert plr_after >= min(plr_before, -1.0 - -14.0) - 1.0, (plr_before, plr_after)
    assert after.lra_lu >= before.lra_lu - 1.0, (before, after)
    assert report["notes"], "the report must say the input was turned down"


def test_preview_is_thirty_seconds_of_the_loudest_part_with_fades(music, tmp_path):
    source = music(seconds=70.0, lufs=-18.0, dynamic=True, seed=46)
    out, preview = tmp_path / "m.wav", tmp_path / "preview.wav"
    report = master_file(source, {"wav24": out}, MasterSettings(), preview_path=preview)
    assert str(report["preview"]) == str(preview)
    clip, sr = _read(preview)
    assert clip.shape[0] / sr == pytest.approx(30.0, abs=2.0)
    mastered, _ = _read(out)
    intro = measure_samples(mastered[: int(0.4 * 70 * sr)], sr).integrated_lufs
    chorus = measure_samples(mastered[int(0.4 * 70 * sr) :], sr).integrated_lufs
    assert measure(preview).integrated_lufs == pytest.approx(chorus, abs=1.0), (intro, chorus)
    ms = int(0.02 * sr)
    body_rms = np.sqrt(np.mean(clip**2))
    for edge in (clip[:ms], clip[-ms:]):
        assert np.sqrt(np.mean(edge**2)) < 0.25 * body_rms
    assert np.max(np.abs(clip[:8])) < 0.01 and np.max(np.abs(clip[-8:])) < 0.01
    assert measure(preview).true_peak_dbtp <= -1.0


def test_progress_runs_from_zero_to_one_with_stage_names(music, tmp_path):
    source = music(seconds=8.0, lufs=-20.0, seed=47)
    calls: list[tuple[float, str]] = []
    master_file(
        source,
        {"wav24": tmp_path / "m.wav", "mp3": tmp_path / "m.mp3"},
        MasterSettings(),
        preview_path=tmp_path / "p.wav",
        progress=lambda fraction, stage: calls.append((fraction, stage)),
    )
    fractions = [fraction for fraction, _ in calls]
    assert len(calls) >= 4
    assert fractions == sorted(fractions)
    assert fractions[0] == pytest.approx(0.0, abs=0.05)
    assert fractions[-1] == pytest.approx(1.0)
    assert all(0.0 <= f <= 1.0 for f in fractions)
    stages = [stage for _, stage in calls]
    assert all(isinstance(stage, str) and stage for stage in stages)
    assert len(set(stages)) >= 3, stages


def test_album_progress_is_monotonic_too(music, tmp_path):
    tracks = [music(seconds=5.0, lufs=-20.0, seed=48), music(seconds=5.0, lufs=-16.0, seed=49)]
    calls: list[float] = []
    master_album(
        tracks, tmp_path, MasterSettings(), progress=lambda fraction, _stage: calls.append(fraction)
    )
    assert calls == sorted(calls) and calls[-1] == pytest.approx(1.0)
