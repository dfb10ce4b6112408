"""Every bad-input path: a one-line EngineError from the library, a one-line error and a non-zero
exit from the CLI, no traceback, and no output file (or temp file) left behind."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from masterbus.engine import EngineError, MasterSettings, analyze_file, master_file, parse_target
from masterbus.engine.io import probe
from tests.engine.cli import error_lines, run_cli
from tests.support.music import render_music, write_audio


def _wav_bytes(frames: int, channels: int = 2, sr: int = 44100) -> bytes:
    data = (render_music(max(frames / sr, 0.1), sr, channels, seed=9)[:frames] * 32767).astype(
        "<i2"
    )
    return _wav_header(frames, channels, sr) + data.tobytes()


def _wav_header(frames: int, channels: int, sr: int) -> bytes:
    size = frames * channels * 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, channels, sr, sr * channels * 2, channels * 2, 16)
        + b"data"
        + struct.pack("<I", size)
    )


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _truncated_header(path: Path) -> Path:
    path.write_bytes(_wav_bytes(44100)[:30])
    return path


def _header_without_data(path: Path) -> Path:
    """A WAV header that promises a second of audio, with no audio after it."""
    path.write_bytes(_wav_header(44100, 2, 44100))
    return path


def _text(path: Path) -> Path:
    path.write_text("This is a shopping list, not a song.\nmilk\neggs\n" * 50)
    return path


def _zero_frames(path: Path) -> Path:
    sf.write(str(path), np.zeros((0, 2), "f4"), 44100, subtype="PCM_24")
    return path


def _eight_channels(path: Path) -> Path:
    rng = np.random.default_rng(0)
    sf.write(str(path), rng.standard_normal((44100, 8)).astype("f4") * 0.1, 44100)
    return path


def _one_ms(path: Path) -> Path:
    return write_audio(path, render_music(0.1, 44100, 2)[:44], 44100, "wav24")


def _one_sample(path: Path) -> Path:
    return write_audio(path, np.full((1, 2), 0.5, "f4"), 44100, "wav24")


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _missing(path: Path) -> Path:
    return path


BAD_INPUTS: dict[str, Callable[[Path], Path]] = {
    "empty": _empty,
    "truncated_header": _truncated_header,
    "header_without_data": _header_without_data,
    "text_renamed_wav": _text,
    "zero_frames": _zero_frames,
    "eight_channels": _eight_channels,
    "one_ms": _one_ms,
    "one_sample": _one_sample,
    "directory": _directory,
    "missing": _missing,
}


def _assert_one_line(message: str) -> None:
    assert message.strip(), "empty error message"
    assert "\n" not in message.strip(), message
    assert "Traceback" not in message


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_through_the_library(tmp_path, case):
    source = BAD_INPUTS[case](tmp_path / "input.wav")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for call in (
        lambda: analyze_file(source),
        lambda: probe(source),
        lambda: master_file(source, {"wav24": out_dir / "m.wav"}, MasterSettings()),
    ):
        with pytest.raises(EngineError) as err:
            call()
        _assert_one_line(str(err.value))
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_through_the_cli(tmp_path, case):
    source = BAD_INPUTS[case](tmp_path / "input.wav")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for args in (
        ("master", source, "-o", out_dir / "m.wav"),
        ("analyze", source, "--json"),
    ):
        result = run_cli(*args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr
        assert len(error_lines(result.stderr)) == 1, result.stderr
        assert result.stdout.strip() == "" or args[0] == "master", result.stdout
    assert list(out_dir.iterdir()) == []


def test_wav_cut_in_the_middle_of_its_audio_is_refused_or_mastered_whole(tmp_path):
    """A download cut short: either a clear error, or a valid master of what is there."""
    source = tmp_path / "cut.wav"
    source.write_bytes(_wav_bytes(44100 * 4)[: 44 + 44100 * 2 * 2 * 2 + 3])
    out = tmp_path / "m.wav"
    try:
        master_file(source, {"wav24": out}, MasterSettings())
    except EngineError as err:
        _assert_one_line(str(err))
        assert not out.exists()
    else:
        assert sf.info(str(out)).frames == pytest.approx(44100 * 2, abs=2)
    result = run_cli("master", source, "-o", tmp_path / "cli.wav")
    assert "Traceback" not in result.stderr
    assert (result.returncode == 0) == (tmp_path / "cli.wav").exists()


def test_unwritable_output_folder(music, tmp_path, unwritable_dir):
    source = music(seconds=3.0, lufs=-20.0)
    target = unwritable_dir / "masterbus-test-output.wav"
    with pytest.raises(EngineError) as err:
        master_file(source, {"wav24": target}, MasterSettings())
    _assert_one_line(str(err.value))
    assert not target.exists()
    result = run_cli("master", source, "-o", target)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(error_lines(result.stderr)) == 1, result.stderr
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing_folder", "under_a_file"])
def test_output_folder_that_cannot_exist(music, tmp_path, where):
    source = music(seconds=3.0, lufs=-20.0)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    target = (blocker if where == "under_a_file" else tmp_path / "nope") / "m.wav"
    with pytest.raises(EngineError) as err:
        master_file(source, {"wav24": target}, MasterSettings())
    _assert_one_line(str(err.value))
    result = run_cli("master", source, "-o", target)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(error_lines(result.stderr)) == 1, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


@pytest.mark.parametrize(
    "settings",
    [
        {"style": "shiny"},
        {"target_lufs": "superloud"},
        {"target_lufs": -60.0},
        {"target_lufs": float("nan")},
        {"ceiling_dbtp": 3.0},
        {"intensity": 101.0},
        {"reference_amount": -1.0},
        {"sample_rate": 1000},
    ],
)
def test_unknown_or_out_of_range_settings(settings):
    with pytest.raises(EngineError) as err:
        MasterSettings(**settings)
    _assert_one_line(str(err.value))


def test_unknown_target_preset():
    with pytest.raises(EngineError):
        parse_target("superloud")
    assert parse_target("loud") == -9.0 and parse_target(" Streaming ") == -14.0
    assert parse_target("-11.5") == -11.5


def test_unknown_output_format_writes_nothing(music, tmp_path):
    source = music(seconds=3.0, lufs=-20.0)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    outputs = {"wav24": out_dir / "m.wav", "ogg": out_dir / "m.ogg"}
    with pytest.raises(EngineError) as err:
        master_file(source, outputs, MasterSettings())
    _assert_one_line(str(err.value))
    assert list(out_dir.iterdir()) == []


def test_bad_reference_is_refused_before_anything_is_written(music, tmp_path):
    source = music(seconds=3.0, lufs=-20.0)
    reference = _text(tmp_path / "ref.wav")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(EngineError) as err:
        master_file(
            source, {"wav24": out_dir / "m.wav"}, MasterSettings(), reference_path=reference
        )
    _assert_one_line(str(err.value))
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(
    "options",
    [
        ("--format", "ogg"),
        ("--style", "shiny"),
        ("--target", "superloud"),
        ("--target", "-60"),
        ("--ceiling", "2"),
        ("--intensity", "500"),
        ("--intensity", "lots"),
    ],
)
def test_cli_refuses_bad_options(music, tmp_path, options):
    source = music(seconds=3.0, lufs=-20.0)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = run_cli("master", source, "-o", out_dir / "m.wav", *options)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert options[1] in lines[0], lines[0]
    assert list(out_dir.iterdir()) == []
