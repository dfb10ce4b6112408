"""Hand-made audio files whose headers say what we want: bombs and hostile headers for the abuse
tests. Built byte by byte (no encoder), so a FLAC holding two billion frames of silence costs a
fraction of a second to make and about half a megabyte to send."""

from __future__ import annotations

import math
import struct

# ---------------------------------------------------------------------------------------- FLAC


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _crc16_table() -> list[int]:
    table = []
    for i in range(256):
        crc = i << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
        table.append(crc)
    return table


_CRC16 = _crc16_table()


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[(crc >> 8) ^ byte]
    return crc


def _utf8_number(n: int) -> bytes:
    """FLAC's UTF-8-like coding of the frame number."""
    if n < 0x80:
        return bytes([n])
    for length, lead in ((2, 0xC0), (3, 0xE0), (4, 0xF0), (5, 0xF8), (6, 0xFC)):
        if n < 1 << (5 * length + 1):
            tail = []
            for _ in range(length - 1):
                tail.append(0x80 | (n & 0x3F))
                n >>= 6
            return bytes([lead | n, *reversed(tail)])
    raise ValueError("frame number too large")


def flac(
    *,
    rate: int = 48000,
    channels: int = 2,
    bits: int = 16,
    block: int = 65535,
    frames: int = 0,
    declared: int | None = None,
    min_block: int | None = None,
    max_block: int | None = None,
) -> bytes:
    """A FLAC stream of ``frames`` frames of digital silence (constant subframes) whose
    STREAMINFO states ``declared`` total samples (default: the truth; 0 means "unknown")."""
    declared = frames if declared is None else declared
    info = struct.pack(">HH", block if min_block is None else min_block, max_block or block)
    info += b"\0" * 6  # min/max frame size: unknown
    packed = (rate << 44) | ((channels - 1) << 41) | ((bits - 1) << 36) | declared
    info += packed.to_bytes(8, "big") + b"\0" * 16  # no MD5
    out = [b"fLaC", bytes([0x80, 0, 0, len(info)]), info]
    subframes = (b"\x00" + b"\x00" * math.ceil(bits / 8)) * channels if bits % 8 == 0 else b""
    number, left = 0, frames
    while left > 0:
        size = min(block, left)
        # sync, fixed blocking; block size from the 16-bit field; rate and depth from
        # STREAMINFO; independent channels
        head = bytes([0xFF, 0xF8, 0x70, (channels - 1) << 4]) + _utf8_number(number)
        head += struct.pack(">H", size - 1)
        body = head + bytes([_crc8(head)]) + subframes
        out.append(body + struct.pack(">H", _crc16(body)))
        number, left = number + 1, left - size
    return b"".join(out)


# ----------------------------------------------------------------------------------------- WAV


def wav(
    *,
    rate: int = 44100,
    channels: int = 2,
    bits: int = 16,
    frames: int = 4410,
    declared_bytes: int | None = None,
    tag: int = 1,
    block_align: int | None = None,
) -> bytes:
    """A PCM WAV of ``frames`` frames of silence whose header may say anything."""
    align = channels * bits // 8 if block_align is None else block_align
    data = b"\0" * (frames * max(align, 0))
    fmt = struct.pack(
        "<HHIIHH", tag, channels, rate & 0xFFFFFFFF, (rate * align) & 0xFFFFFFFF, align, bits
    )
    size = len(data) if declared_bytes is None else declared_bytes
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", size & 0xFFFFFFFF) + data
    return b"RIFF" + struct.pack("<I", len(body) & 0xFFFFFFFF) + body


# ---------------------------------------------------------------------------------------- AIFF


def _extended(value: float) -> bytes:
    """An IEEE 754 80-bit extended float, as AIFF stores its sample rate."""
    if value == 0:
        return b"\0" * 10
    if math.isinf(value) or math.isnan(value):
        return b"\x7f\xff" + (b"\xc0" if math.isnan(value) else b"\x80") + b"\0" * 7
    exponent = math.floor(math.log2(value))
    mantissa = int(value / 2.0**exponent * (1 << 63))
    return struct.pack(">HQ", exponent + 16383, mantissa)


def aiff(
    *,
    rate: float = 44100.0,
    channels: int = 2,
    bits: int = 16,
    frames: int = 4410,
    declared_frames: int | None = None,
) -> bytes:
    data = b"\0" * (frames * channels * max(bits, 8) // 8)
    declared = frames if declared_frames is None else declared_frames
    comm = struct.pack(">hIh", channels, declared & 0xFFFFFFFF, bits) + _extended(rate)
    ssnd = struct.pack(">II", 0, 0) + data
    body = b"AIFF" + b"COMM" + struct.pack(">I", len(comm)) + comm
    body += b"SSND" + struct.pack(">I", len(ssnd)) + ssnd
    return b"FORM" + struct.pack(">I", len(body)) + body


# ----------------------------------------------------------------------------------------- MP3


def mp3_garbage(frames: int = 200, seed: int = 1) -> bytes:
    """MPEG-1 Layer III frame headers (128 kbps, 44.1 kHz) followed by pseudo-random bytes."""
    state = seed
    out = bytearray()
    for _ in range(frames):
        out += b"\xff\xfb\x90\x64"
        for _ in range(413):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            out.append(state >> 16 & 0xFF)
    return bytes(out)


def id3_only(claimed: int = 0x0FFFFFFF) -> bytes:
    """An ID3v2 tag that claims ``claimed`` bytes (synchsafe), then nothing."""
    size = bytes([(claimed >> shift) & 0x7F for shift in (21, 14, 7, 0)])
    return b"ID3\x04\x00\x00" + size + b"\0" * 64
