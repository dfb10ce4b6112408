"""MP3 deliveries (engine.mp3: lameenc plus our own Info/LAME tag frame) play gapless.

lameenc writes bare frames; without the tag a decoder cannot trim LAME's delay and padding and
the decoded file starts 1105 samples late and runs ~1,400 samples long. Checked here with real
music through two independent decoders, mpg123 (libsndfile) and ffmpeg: the decoded file has
the source's length and lines up with it sample for sample. The tag itself is parsed and its
CRCs recomputed here bit by bit, not with the module's table.
"""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from masterbus.engine import mp3
from masterbus.engine.errors import EngineError
from masterbus.engine.io import write_audio, write_blocks
from tests.support.ffmeter import ffmpeg_exe
from tests.support.music import render_music

RATES = {44100: 0, 48000: 1, 32000: 2}  # MPEG-1 sample rate index
LAYER3_320 = 14  # bitrate index of 320 kbps


def _source(seconds: float, rate: int, channels: int, frames: int | None = None) -> np.ndarray:
    """Planar (channels, frames) float32 music; ``frames`` from its middle (never silence)."""
    x = render_music(seconds, rate, channels, seed=5).astype(np.float32)
    x = np.ascontiguousarray(x.reshape(x.shape[0], -1).T) * np.float32(0.5)
    if frames is not None:
        start = (x.shape[1] - frames) // 2
        x = np.ascontiguousarray(x[:, start : start + frames])
    return x


def _by_ffmpeg(path: Path, channels: int) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels).T


def _by_mpg123(path: Path) -> np.ndarray:
    data, _rate = sf.read(str(path), dtype="float32", always_2d=True)
    return data.T


def _lag(decoded: np.ndarray, source: np.ndarray, reach: int = 2048) -> int:
    """The shift (samples) at which the decoded signal best matches the source."""
    a, b = decoded[0].astype(np.float64), source[0].astype(np.float64)
    m = min(len(a), len(b))
    shifts = range(-min(reach, m - 1), min(reach, m - 1) + 1)
    scores = [np.dot(a[max(0, s) : m + min(0, s)], b[max(0, -s) : m - max(0, s)]) for s in shifts]
    return list(shifts)[int(np.argmax(scores))]


def _snr_db(decoded: np.ndarray, source: np.ndarray) -> float:
    error = decoded - source
    return 10 * np.log10(np.sum(source.astype(np.float64) ** 2) / np.sum(error**2.0))


def _crc16_arc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _frames(data: bytes, start: int) -> list[tuple[int, int]]:
    """(offset, header) of each MPEG-1 Layer III frame from ``start`` to the end."""
    rates = {v: k for k, v in RATES.items()}
    found = []
    at = start
    while at < len(data):
        header = struct.unpack(">I", data[at : at + 4])[0]
        assert header >> 21 == 0x7FF, f"no frame sync at {at}"
        assert (header >> 17) & 0xF == 0b1101, "MPEG-1 Layer III"
        assert (header >> 12) & 0xF == LAYER3_320
        size = 144000 * 320 // rates[(header >> 10) & 3] + ((header >> 9) & 1)
        found.append((at, header))
        at += size
    assert at == len(data), "the file ends inside a frame"
    return found


CASES = [(44100, 2), (44100, 1), (48000, 2), (48000, 1)]


@pytest.mark.parametrize(("rate", "channels"), CASES)
@pytest.mark.parametrize("length", ["shorter than a frame", "several blocks"])
def test_decoded_mp3_has_the_source_length_and_no_offset(tmp_path, rate, channels, length):
    if length == "several blocks":
        x = _source(5.0, rate, channels)
        # as the block-wise path streams them; the last one longer than the encoder's pieces
        blocks = [x[:, :30_000], x[:, 30_000:60_000], x[:, 60_000:]]
        assert blocks[-1].shape[1] > mp3.PIECE
    else:
        x = _source(1.0, rate, channels, frames=700)
        blocks = [x]
    out = tmp_path / "d.mp3"
    write_blocks(out, blocks, rate, channels, "mp3")
    for decoder, decoded in (("mpg123", _by_mpg123(out)), ("ffmpeg", _by_ffmpeg(out, channels))):
        assert decoded.shape == x.shape, f"{decoder}: {decoded.shape} for {x.shape}"
        assert _lag(decoded, x) == 0, decoder
        if length == "several blocks":  # lined up: the codec's error only (far below the music)
            assert _snr_db(decoded, x) > 15, decoder


@pytest.mark.parametrize(("rate", "channels"), [(44100, 2), (48000, 1), (32000, 2)])
def test_the_info_frame_holds_counts_delay_padding_and_correct_crcs(tmp_path, rate, channels):
    x = _source(2.0, rate, channels)
    out = tmp_path / "t.mp3"
    write_audio(out, x.T, rate, "mp3")
    data = out.read_bytes()
    header = struct.unpack(">I", data[:4])[0]
    tag_size = 144000 * 320 // rate
    assert (header >> 12) & 0xF == LAYER3_320 and (header >> 10) & 3 == RATES[rate]
    assert (header >> 9) & 1 == 0, "the tag frame is not padded"
    assert ((header >> 6) & 3 == 3) == (channels == 1)
    audio = _frames(data, tag_size)
    assert all((h >> 6) & 3 == (header >> 6) & 3 for _, h in audio), "the stream's mode"

    xing = 4 + (17 if channels == 1 else 32)
    ident, flags, frames, size = struct.unpack(">4sIII", data[xing : xing + 16])
    assert ident == b"Info" and flags & 0x3 == 0x3
    assert frames == len(audio)
    assert size == len(data)
    toc = data[xing + 16 : xing + 116]
    assert toc[0] == 0 and list(toc) == sorted(toc)

    lame = xing + 120
    assert data[lame : lame + 4] == b"LAME"
    assert data[lame + 9] & 0xF == 1, "CBR"
    delay_padding = int.from_bytes(data[lame + 21 : lame + 24], "big")
    delay, padding = delay_padding >> 12, delay_padding & 0xFFF
    assert delay == 576
    assert padding == frames * 1152 - 576 - x.shape[1]
    length, music_crc, tag_crc = struct.unpack(">IHH", data[lame + 28 : lame + 36])
    assert length == len(data)
    assert music_crc == _crc16_arc(data[tag_size:])
    crc_at = lame + 34
    assert crc_at == (190 if channels == 2 else 175)  # where LAME puts it
    assert tag_crc == _crc16_arc(data[:crc_at])


def test_an_mpeg2_rate_still_writes_through_libsndfile(tmp_path):
    x = _source(1.0, 22050, 2)
    out = tmp_path / "low.mp3"
    write_audio(out, x.T, 22050, "mp3")
    info = sf.info(str(out))
    assert info.samplerate == 22050 and info.channels == 2 and info.frames > 0


def test_a_failed_encode_leaves_neither_the_file_nor_a_temp_file(tmp_path):
    x = _source(1.0, 44100, 2)

    def blocks():
        yield x[:, :10_000]
        raise EngineError("stopped")  # a caller stopping mid-stream (a lost lease, say)

    out = tmp_path / "x.mp3"
    with pytest.raises(EngineError, match="stopped"):
        write_blocks(out, blocks(), 44100, 2, "mp3")
    assert list(tmp_path.iterdir()) == []
