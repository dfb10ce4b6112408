"""Bounded work whatever a file says: probing reads headers, decoding stops at a frame limit,
rates above 192 kHz are refused, and long audio is mastered in bounded memory."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from masterbus.engine import EngineError, MasterSettings, master_file
from masterbus.engine.io import MAX_SAMPLE_RATE, probe, read_audio

RATE = 192000
SILENT_MINUTES = 10
STREAMINFO_TOTAL = 8 + 13  # byte of FLAC STREAMINFO where the 36-bit total-samples field starts


def _set_total_samples(data: bytes, total: int) -> bytes:
    """A FLAC's bytes with STREAMINFO's total-samples field set (0 means "unknown")."""
    assert data[:4] == b"fLaC"
    out = bytearray(data)
    i = STREAMINFO_TOTAL
    out[i] = (out[i] & 0xF0) | ((total >> 32) & 0x0F)
    out[i + 1 : i + 5] = (total & 0xFFFFFFFF).to_bytes(4, "big")
    return bytes(out)


@pytest.fixture(scope="module")
def silent_flac(tmp_path_factory) -> Path:
    """Ten minutes of 192 kHz stereo digital silence: a few hundred KB of FLAC."""
    path = tmp_path_factory.mktemp("bounds") / "silence.flac"
    zeros = np.zeros((RATE * 60, 2), dtype=np.float32)
    with sf.SoundFile(str(path), "w", RATE, 2, subtype="PCM_16", format="FLAC") as f:
        for _ in range(SILENT_MINUTES):
            f.write(zeros)
    assert path.stat().st_size < 2_000_000
    return path


def _cpu(call) -> tuple[float, object]:
    started = time.process_time()
    try:
        result: object = call()
    except EngineError as err:
        result = err
    return time.process_time() - started, result


def test_probe_reads_the_length_from_the_header(silent_flac):
    spent, info = _cpu(lambda: probe(silent_flac))
    assert not isinstance(info, EngineError), info
    assert info.duration_s == pytest.approx(SILENT_MINUTES * 60, abs=1)
    assert spent < 0.1, f"probe decoded the file: {spent:.2f} s of CPU"


def test_a_header_claiming_two_billion_frames_is_refused_at_once(silent_flac, tmp_path):
    bomb = tmp_path / "bomb.flac"
    bomb.write_bytes(_set_total_samples(silent_flac.read_bytes(), 2_000_000_000))
    for call in (
        lambda: probe(bomb),
        lambda: probe(bomb, max_seconds=1200),
        lambda: read_audio(bomb),
    ):
        spent, result = _cpu(call)
        assert isinstance(result, EngineError), result
        # the length the header states, rounded up: 2e9 frames at 192 kHz
        assert "the audio is 2:53:37 long; the longest we master is" in str(result), result
        assert spent < 0.1, f"{spent:.2f} s of CPU"


def test_a_stream_without_a_length_is_decoded_only_up_to_the_limit(silent_flac, tmp_path):
    unknown = tmp_path / "unknown.flac"
    unknown.write_bytes(_set_total_samples(silent_flac.read_bytes(), 0))
    spent, result = _cpu(lambda: probe(unknown, max_seconds=20))
    assert isinstance(result, EngineError) and "longer than 0:20" in str(result), result
    assert spent < 0.2, f"{spent:.2f} s of CPU"
    spent, result = _cpu(lambda: read_audio(unknown, max_seconds=20))
    assert isinstance(result, EngineError) and "longer than 0:20" in str(result), result
    assert spent < 0.3, f"{spent:.2f} s of CPU"
    info = probe(unknown, max_seconds=SILENT_MINUTES * 60 + 5)
    assert info.frames == SILENT_MINUTES * 60 * RATE


def test_decoding_stops_at_the_limit_whatever_the_header_says(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "ten_seconds.wav"
    sf.write(str(path), (rng.standard_normal((441000, 2)) * 0.1).astype(np.float32), 44100)
    assert read_audio(path, max_seconds=10.5).frames == 441000
    with pytest.raises(EngineError, match="the audio is 0:10 long; the longest we master is 0:05"):
        read_audio(path, max_seconds=5)
    with pytest.raises(EngineError, match="the audio is 0:10 long; the longest we master is 0:05"):
        probe(path, max_frames=44100 * 5)


@pytest.mark.parametrize("rate", [352800, 384000])
def test_rates_above_192k_are_refused_with_what_to_do(tmp_path, rate):
    path = tmp_path / "high.wav"
    sf.write(str(path), np.zeros((rate // 10, 2), dtype=np.float32) + 0.1, rate)
    for call in (
        lambda: probe(path),
        lambda: read_audio(path),
        lambda: master_file(path, {"wav24": tmp_path / "m.wav"}, MasterSettings()),
    ):
        with pytest.raises(EngineError) as err:
            call()
        message = str(err.value)
        assert f"{rate} Hz" in message and "resample it to 192 kHz or lower" in message, message
    assert MAX_SAMPLE_RATE == 192000
    with pytest.raises(EngineError):
        MasterSettings(sample_rate=384000)


def test_master_file_refuses_audio_past_its_limit(tmp_path):
    rng = np.random.default_rng(2)
    path = tmp_path / "ten_seconds.wav"
    sf.write(str(path), (rng.standard_normal((441000, 2)) * 0.1).astype(np.float32), 44100)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(EngineError, match="the audio is 0:10 long; the longest we master is 0:05"):
        master_file(path, {"wav24": out_dir / "m.wav"}, MasterSettings(), max_seconds=5)
    assert list(out_dir.iterdir()) == []


REFUSALS = """
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from masterbus.engine import EngineError, MasterSettings, analyze_file, master_file

folder = Path(sys.argv[1])
high = folder / "high.wav"
sf.write(str(high), np.zeros((38400, 2), dtype=np.float32) + 0.1, 384000)
long = folder / "long.wav"
sf.write(str(long), np.zeros((441000, 2), dtype=np.float32) + 0.1, 44100)
text = folder / "notes.wav"
text.write_text("not audio at all")
calls = [
    lambda: master_file(high, {"wav24": folder / "m.wav"}, MasterSettings()),
    lambda: master_file(long, {"mp3": folder / "m.mp3"}, MasterSettings(), max_seconds=5),
    lambda: master_file(text, {"wav16": folder / "m.wav"}, MasterSettings()),
    lambda: analyze_file(high),
]
for call in calls:
    try:
        call()
    except EngineError as err:
        print(err)
    else:
        print("accepted")
print(sorted(m for m in sys.modules if m == "numba" or m.startswith("masterbus.engine.kernels")))
"""


def test_a_refused_file_loads_no_kernels(tmp_path):
    """The header is checked before the DSP modules (numba, the compiled kernels) are loaded."""
    out = subprocess.run(
        [sys.executable, "-c", REFUSALS, str(tmp_path)], capture_output=True, text=True, check=True
    )
    lines = out.stdout.strip().splitlines()
    assert "resample it to 192 kHz or lower" in lines[0], lines
    assert "the audio is 0:10 long; the longest we master is 0:05" in lines[1], lines
    assert "not a readable audio file" in lines[2], lines
    assert "resample it to 192 kHz or lower" in lines[3], lines
    assert lines[4] == "[]", lines
    assert not (tmp_path / "m.wav").exists() and not (tmp_path / "m.mp3").exists()
