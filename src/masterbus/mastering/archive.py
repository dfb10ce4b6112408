"""A zip of stored files, streamed while it is written: no temporary copy of an album on disk.

Audio does not compress, so entries are stored; zip64 and data descriptors let the archive be
written front to back to a stream that cannot seek, of any size.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from django.core.files.storage import default_storage

BLOCK = 1 << 20


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written since the last ``take``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_stream(entries: list[tuple[str, str]]) -> Iterator[bytes]:
    """The bytes of a zip holding each stored file ``name`` as ``arcname``, block by block."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, arcname in entries:
            with (
                default_storage.open(name, "rb") as source,
                archive.open(arcname, "w", force_zip64=True) as target,
            ):
                while block := source.read(BLOCK):
                    target.write(block)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
