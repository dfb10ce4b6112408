"""Writes of uploads: create, append a chunk, finalize (check the audio), delete, purge.

The bytes go straight from the request stream to a file in blocks, never held whole in memory.
The file is fsynced before the offset in the database moves, so after a crash the file is never
shorter than the recorded offset; any tail beyond it is cut off by the next append. One append at
a time per upload: an exclusive, non-blocking lock on the file rejects a concurrent one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict
from datetime import timedelta
from typing import TYPE_CHECKING, BinaryIO, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.engine import EngineError
from masterbus.engine.io import probe
from masterbus.uploads.errors import UploadError
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.naming import display_filename, display_filetype
from masterbus.uploads.selectors import upload_file_path, upload_is_expired
from masterbus.uploads.services.previews import preview_files_delete, preview_files_of

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

logger = logging.getLogger(__name__)

# 1 MiB reads: large enough that Python overhead vanishes, small enough to never matter for memory.
BLOCK_SIZE = 1 << 20
UPLOAD_DIR = "uploads"
# A header stating more than this (a day) is no real length: "unknown" in FLAC reads as ~2**63.
UNREASONABLE_SECONDS = 24 * 3600


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def upload_create(*, owner: Owner, length: int, metadata: dict[str, str]) -> Upload:
    """Register an upload of ``length`` bytes and create its (empty) file under MEDIA_ROOT."""
    limit = settings.MAX_UPLOAD_BYTES
    if length > limit:
        raise UploadError(
            "too_large",
            f"The file is {_megabytes(length)}; the largest upload is {_megabytes(limit)}.",
        )
    if length == 0:
        raise UploadError("empty_file", "The file is empty: there is no audio to upload.")
    upload = Upload(
        **owner.create_kwargs(),
        filename=display_filename(metadata.get("filename", "")),
        filetype=display_filetype(metadata.get("filetype", "")),
        length=length,
        expires_at=timezone.now() + _expiry(),
    )
    upload.stored_name = f"{UPLOAD_DIR}/{upload.id.hex}"
    path = upload_file_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)
    try:
        upload.save(force_insert=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return upload


def upload_append(
    *, upload: Upload, offset: int, stream: Readable, content_length: int | None
) -> Upload:
    """Write the request body at ``offset``; keeps what arrived if the connection drops.

    When the last byte arrives the upload is finalized: the returned upload is then COMPLETE or
    FAILED (with ``error_message``).
    """
    _check_writable(upload)
    if content_length is None:
        raise UploadError("length_required", "The request must say its Content-Length.")
    if offset + content_length > upload.length:
        raise UploadError(
            "too_large",
            f"This chunk would go past the declared size of {upload.length} bytes.",
        )
    with _locked(upload) as out:
        # Read under the lock: a request that just finished may have moved the offset.
        upload.refresh_from_db(fields=["offset", "status"])
        _check_writable(upload)
        if offset != upload.offset:
            raise UploadError(
                "offset_mismatch",
                f"The upload is at byte {upload.offset}, not {offset}; "
                "ask for the offset and resume.",
            )
        out.seek(offset)
        out.truncate(offset)
        written = _copy(stream, out, content_length)
        out.flush()
        os.fsync(out.fileno())
        upload.offset = offset + written
        Upload.objects.filter(pk=upload.pk).update(offset=upload.offset)
        if upload.offset == upload.length:
            upload_finalize(upload=upload)
    return upload


def upload_finalize(*, upload: Upload) -> Upload:
    """Check the finished file by its content (P8): audio we can master, within the limits.

    This runs inside the web request, so it only reads headers (the engine's ``probe``): a few
    hundred kilobytes of FLAC can decode to hours of audio, and the length and rate its header
    states are refused here before anything is decoded (a stream whose header gives no length
    is decoded only up to the limit). The full decode happens in the worker, whose job fails
    with a plain message if the audio turns out damaged.

    A file that fails keeps its row with a plain-language reason; its useless bytes are removed.
    """
    path = upload_file_path(upload)
    limit = settings.MAX_AUDIO_SECONDS
    try:
        info = probe(path, max_seconds=limit)
    except EngineError as exc:
        return _fail(upload, _reason(exc, path.name))
    if info.duration_s > limit:
        stated = (
            f"The audio is {_minutes(info.duration_s)} long"
            if info.duration_s < UNREASONABLE_SECONDS
            else "The file does not state a usable length"
        )
        return _fail(upload, f"{stated}; the longest we master is {_minutes(limit)}.")
    if info.sample_rate > settings.MAX_SAMPLE_RATE:
        return _fail(
            upload,
            f"The audio's sample rate is {info.sample_rate / 1000:g} kHz; please resample to "
            f"{settings.MAX_SAMPLE_RATE / 1000:g} kHz or lower and upload it again.",
        )
    upload.status = UploadStatus.COMPLETE
    upload.audio_info = asdict(info)
    upload.completed_at = timezone.now()
    # A finished upload waits this long to become a song (which takes its bytes), then goes.
    upload.expires_at = upload.completed_at + _expiry()
    upload.save(update_fields=["status", "audio_info", "completed_at", "expires_at"])
    return upload


def upload_delete(*, upload: Upload) -> None:
    """Remove the row and, once that is committed, the bytes and the previews' files (tus
    termination, P13; the guest expiry, P12, and mastering's taking of the bytes come here)."""
    path = upload_file_path(upload) if upload.stored_name else None
    previews = preview_files_of(upload)
    upload_id = upload.pk
    with _locked(upload) if path is not None and path.exists() else contextlib.nullcontext():
        upload.delete()
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    transaction.on_commit(lambda: preview_files_delete(previews, upload_id))


def upload_purge_expired() -> int:
    """Delete uploads past their expiry (unfinished, failed, or never mastered), with their bytes.

    For the periodic jobs; returns the count. Mastering takes a finished upload's bytes and
    deletes its row, so nothing a song needs is ever purged here.
    """
    expired = Upload.objects.filter(expires_at__lte=timezone.now())
    count = 0
    for upload in expired.iterator():
        try:
            upload_delete(upload=upload)
        except UploadError:  # being written right now: the next sweep gets it
            continue
        count += 1
    if count:
        logger.info("purged %d expired upload(s)", count)
    return count


def _check_writable(upload: Upload) -> None:
    if upload.status == UploadStatus.FAILED:
        raise UploadError("upload_failed", upload.error_message)
    if upload.status == UploadStatus.COMPLETE:
        raise UploadError("already_complete", "This upload is already complete.")
    if upload_is_expired(upload):
        raise UploadError("expired", "This upload expired; please upload the file again.")


@contextlib.contextmanager
def _locked(upload: Upload) -> Iterator[BinaryIO]:
    """The upload's file opened for writing under an exclusive lock, or UploadError("locked")."""
    try:
        out = open(upload_file_path(upload), "r+b")  # noqa: SIM115 - closed in the finally below
    except FileNotFoundError:
        raise UploadError("expired", "This upload's data is gone; please upload again.") from None
    try:
        try:
            fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadError(
                "locked", "This upload is being written by another request; try again shortly."
            ) from None
        yield out
    finally:
        out.close()  # closing releases the lock


def _copy(stream: Readable, out: BinaryIO, limit: int) -> int:
    """Copy up to ``limit`` bytes in blocks; a dropped connection ends the copy, not the upload."""
    written = 0
    while written < limit:
        try:
            block = stream.read(min(BLOCK_SIZE, limit - written))
        except OSError:  # the client went away mid-body (Django's UnreadablePostError is one)
            logger.info("upload body ended early after %d of %d bytes", written, limit)
            break
        if not block:
            break
        out.write(block)
        written += len(block)
    return written


def _fail(upload: Upload, message: str) -> Upload:
    path = upload_file_path(upload)
    upload.status = UploadStatus.FAILED
    upload.error_message = message
    upload.stored_name = ""
    upload.save(update_fields=["status", "error_message", "stored_name"])
    path.unlink(missing_ok=True)
    return upload


def _reason(exc: EngineError, stored_name: str) -> str:
    """The engine names the file it read (our server-side name); say it in the user's terms."""
    message = str(exc).removeprefix(f"{stored_name}: ").rstrip(".")
    return f"This file cannot be used: {message}."


def _expiry() -> timedelta:
    return timedelta(seconds=settings.UPLOAD_EXPIRY_SECONDS)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size < 10_000_000 else f"{size / 1_000_000:.0f} MB"


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
