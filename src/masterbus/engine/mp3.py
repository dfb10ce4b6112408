"""MP3 320 kbps CBR encoded with lameenc, with the Info/LAME tag that makes it play gapless.

Why not libsndfile: its bundled LAME took 9 s of a 4-minute song's 12 s MP3 delivery; the same
LAME (3.100) through the ``lameenc`` wheel encodes it in ~2.7 s at the same quality. But lameenc
hands back bare audio frames: no Info frame, so a decoder cannot know the encoder delay and the
padding, and the decoded file would start 1105 samples late and end ~1,400 samples long. This
module writes that frame itself, as LAME does: a silent first frame of the stream's bitrate,
rate and mode holding "Info" (the Xing header of a CBR file: frame and byte counts, seek table)
and the LAME extension (encoder delay and padding, the CRCs). mpg123 (libsndfile's decoder) and
ffmpeg then trim the delay and padding: decoded length == source length, no offset.

Only the MPEG-1 rates (32, 44.1, 48 kHz) carry 320 kbps; ``supports`` says so, and io keeps
libsndfile for the rest.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import lameenc
import numba as nb
import numpy as np

BITRATE_KBPS = 320
QUALITY = 3  # LAME's default (what libsndfile used): 2 costs 60 % more time, 5 saves 25 %
SAMPLES_PER_FRAME = 1152  # MPEG-1 Layer III
# LAME's encoder delay (the decoder adds its own 529, which it knows): stated in the tag.
ENCODER_DELAY = 576
# MPEG-1 sample rate index of the frame header; the other rates are MPEG-2/2.5 (no 320 kbps).
RATE_INDEX = {44100: 0, 48000: 1, 32000: 2}
RATES = {index: rate for rate, index in RATE_INDEX.items()}
# LAME 3.100's low-pass at 320 kbps (it writes it in the tag in hundreds of Hz): 20.5 kHz, or
# none below the Nyquist frequency at 32 kHz (measured on libsndfile's LAME tags).
LAME_LOWPASS_HZ = 20500
ENCODER = b"LAME3.100"  # what lameenc 1.9 bundles: the tag names the encoder that made the audio
TOC_SIZE = 100
XING_FLAGS = 0x0F  # frames, bytes, TOC and quality fields present
LAME_EXTENSION = 36  # bytes of the LAME extension after the Xing fields
HEADER_SYNC = 0xFFE00000
# Frames dithered and handed to the encoder at a time: small enough that the encoder thread
# starts at once and the last piece's dither is short, large enough to keep calls few.
PIECE = 1 << 17


def supports(sample_rate: int) -> bool:
    """Whether this writer can make ``sample_rate`` (an MPEG-1 rate: 320 kbps exists)."""
    return sample_rate in RATE_INDEX


def write_file(path: str, blocks: Iterable[np.ndarray], sample_rate: int, channels: int) -> bool:
    """Write planar float32 ``blocks`` as an MP3 at ``path``; False, nothing written, at the
    MPEG-2 rates (below 32 kHz: no 320 kbps), which ``io`` leaves to libsndfile."""
    if not supports(sample_rate):
        return False
    with open(path, "wb") as handle:
        encode(handle, blocks, sample_rate, channels)
    return True


def frame_bytes(sample_rate: int, padded: bool = False) -> int:
    """Bytes of one 320 kbps MPEG-1 Layer III frame at ``sample_rate``."""
    return 144000 * BITRATE_KBPS // sample_rate + int(padded)


def side_info_bytes(channels: int) -> int:
    """MPEG-1 Layer III side information after the header: 17 bytes mono, 32 stereo."""
    return 17 if channels == 1 else 32


def _crc_table() -> np.ndarray:
    """CRC-16/ARC (polynomial 0x8005, reflected, initial 0): the CRC of the LAME tag."""
    table = np.zeros(256, dtype=np.uint16)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


CRC_TABLE = _crc_table()


@nb.njit(cache=True)
def _crc16_kernel(data: np.ndarray, crc: int, table: np.ndarray) -> int:
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def crc16(data: bytes | bytearray | memoryview, crc: int = 0) -> int:
    """CRC-16/ARC of ``data`` continuing from ``crc`` (numba: the audio's CRC covers ~10 MB,
    too slow byte by byte in Python)."""
    return int(_crc16_kernel(np.frombuffer(data, dtype=np.uint8), crc, CRC_TABLE))


class _FrameCounter:
    """Walks the frame headers of the stream as lameenc hands it out, in pieces that need not
    end on a frame boundary: the number of frames, their offsets (for the seek table) and the
    first header (the tag frame copies its mode)."""

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.first_header: int | None = None
        self.end = 0  # stream offset of the next frame header (the end of the last frame)
        self.received = 0  # bytes of the stream received so far
        self._tail = b""  # the received bytes from ``end`` on, when fewer than a header

    def feed(self, chunk: bytes) -> None:
        base = self.received - len(self._tail)  # stream offset of data[0]
        data = self._tail + chunk
        self.received += len(chunk)
        while self.end + 4 <= self.received:
            at = self.end - base
            header = int.from_bytes(data[at : at + 4], "big")
            if header & HEADER_SYNC != HEADER_SYNC:
                raise RuntimeError(f"MP3 encoder output lost frame sync at byte {self.end}")
            if self.first_header is None:
                self.first_header = header
            self.offsets.append(self.end)
            self.end += frame_bytes(RATES[(header >> 10) & 3], bool(header >> 9 & 1))
        self._tail = data[self.end - base :] if self.end < self.received else b""


def _toc(offsets: list[int], start: int, total: int) -> bytes:
    """The Xing seek table: for each percent of the duration, where in the file (in 256ths)
    the frame holding that moment starts."""
    frames = len(offsets)
    entries = bytearray(TOC_SIZE)
    for i in range(1, TOC_SIZE):
        entries[i] = min(255, 256 * (start + offsets[i * frames // TOC_SIZE]) // total)
    return bytes(entries)


def info_frame(
    first_header: int,
    sample_rate: int,
    padding: int,
    offsets: list[int],
    audio_bytes: int,
    music_crc: int,
) -> bytes:
    """The first frame of a gapless CBR MP3: silent audio whose side information is followed by
    "Info" (the Xing header) and the LAME extension, laid out as LAME's VbrTag.c writes them
    (mpg123 and ffmpeg read them). ``offsets`` are the audio frames' starts after this frame."""
    mode = (first_header >> 6) & 3
    size = frame_bytes(sample_rate)
    total = size + audio_bytes  # the Xing byte count and LAME's music length: the whole file
    # the stream's header without padding or mode extension: a frame of the stream's bitrate
    header = first_header & ~(1 << 9) & ~(3 << 4)
    xing = 4 + side_info_bytes(1 if mode == 3 else 2)
    lame = xing + 16 + TOC_SIZE + 4
    stereo_mode = {0: 1, 1: 3, 2: 2, 3: 0}[mode]  # header's mode -> LAME's code
    source_rate = 0 if sample_rate <= 32000 else 1 if sample_rate <= 44100 else 2
    frame = bytearray(size)
    struct.pack_into(">I", frame, 0, header)
    struct.pack_into(">4sIII", frame, xing, b"Info", XING_FLAGS, len(offsets), total)
    frame[xing + 16 : lame - 4] = _toc(offsets, size, total)
    struct.pack_into(">I", frame, lame - 4, 100 - QUALITY)  # LAME's quality indicator for CBR
    struct.pack_into(
        ">9sBBIhhBB3sBBHIH",
        frame,
        lame,
        ENCODER,
        0x01,  # tag revision 0, method 1: constant bitrate
        min(LAME_LOWPASS_HZ, sample_rate // 2) // 100,
        0,  # peak amplitude: not measured
        0,  # radio replay gain: none
        0,  # audiophile replay gain: none
        0x14 | (0x20 if stereo_mode == 3 else 0),  # nspsytune (+ safe joint); ATH type 4
        min(BITRATE_KBPS, 255),
        ((ENCODER_DELAY << 12) | padding).to_bytes(3, "big"),
        (source_rate << 6) | (stereo_mode << 2) | 1,  # noise shaping 1 (LAME -q 3)
        0,  # MP3 gain: none
        BITRATE_KBPS,  # preset: CBR 320
        total,
        music_crc,  # CRC-16 of the audio frames after this one
    )
    tag_crc_at = lame + LAME_EXTENSION - 2  # 190 in a stereo frame, 175 in a mono one
    struct.pack_into(">H", frame, tag_crc_at, crc16(frame[:tag_crc_at]))
    return bytes(frame)


def _pcm16(quantized: np.ndarray) -> np.ndarray:
    """int16 interleaved from ``quantize_tpdf``'s left-aligned int32: the high half of each
    sample, gathered in one pass (little-endian: the second int16 of each int32)."""
    if sys.byteorder == "little":
        return np.ascontiguousarray(quantized.view(np.int16)[:, 1::2])
    return (quantized >> 16).astype(np.int16)


def _pieces(blocks: Iterable[np.ndarray], channels: int) -> Iterator[np.ndarray]:
    """The blocks as float32 pieces of at most ``PIECE`` frames, checked."""
    for block in blocks:
        data = np.asarray(block, dtype=np.float32)
        if data.ndim != 2 or data.shape[0] != channels:
            raise ValueError(f"a block shaped {data.shape} in a {channels}-channel MP3")
        for start in range(0, data.shape[1], PIECE):
            yield np.ascontiguousarray(data[:, start : start + PIECE])


def encode(handle: BinaryIO, blocks: Iterable[np.ndarray], sample_rate: int, channels: int) -> None:
    """Write planar (channels, n) float32 ``blocks`` to ``handle`` (a new, seekable file) as a
    320 kbps CBR MP3 with its Info/LAME tag frame first: TPDF-dithered to 16 bits (lameenc
    takes int16) and encoded as they come; the tag, written last over a placeholder, needs the
    frame count, byte count and padding known only at the end.

    The encoder (LAME releases the GIL) runs in a second thread on one piece while this one
    dithers the next: the encode is most of an MP3 delivery's time, and the rest hides in it.
    """
    from masterbus.engine.kernels.dither import quantize_tpdf

    if not supports(sample_rate):
        raise ValueError(f"{sample_rate} Hz is not an MPEG-1 rate")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(channels)
    encoder.set_quality(QUALITY)
    encoder.silence()  # LAME prints its settings to stdout otherwise
    tag_size = frame_bytes(sample_rate)
    handle.write(bytes(tag_size))  # the tag frame's place
    counter = _FrameCounter()
    music_crc = 0
    samples = 0

    def put(chunk: bytes) -> None:
        nonlocal music_crc
        if chunk:
            chunk = bytes(chunk)
            handle.write(chunk)
            counter.feed(chunk)
            music_crc = crc16(chunk, music_crc)

    def encoded(pcm: np.ndarray) -> None:
        put(encoder.encode(pcm))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mp3") as worker:
        pending: Future | None = None
        for seed, piece in enumerate(_pieces(blocks, channels), start=1):
            samples += piece.shape[1]
            pcm = _pcm16(quantize_tpdf(piece, 16, seed))  # each piece its own dither seed
            if pending is not None:
                pending.result()  # the encoder's order is the stream's; its errors stop us
            pending = worker.submit(encoded, pcm)
        if pending is not None:
            pending.result()
    put(encoder.flush())
    frames = len(counter.offsets)
    # what the decoder trims at the end, after the frames' samples less the delay
    padding = frames * SAMPLES_PER_FRAME - ENCODER_DELAY - samples
    if counter.first_header is None or not 0 <= padding < 1 << 12:
        raise RuntimeError(f"MP3 encoder gave {frames} frames for {samples} samples")
    if counter.end != counter.received:
        raise RuntimeError("MP3 encoder output ends inside a frame")
    handle.seek(0)
    handle.write(
        info_frame(
            counter.first_header, sample_rate, padding, counter.offsets, counter.end, music_crc
        )
    )
