"""Storage names of a song's files, chosen by the server (never from what the user typed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from masterbus.mastering.models import Job
    from masterbus.uploads.models import Upload


def song_folder(song_id) -> str:
    """The folder holding every file of a song: ``songs/<song>``."""
    return f"songs/{song_id.hex}"


def job_prefix(job: Job) -> str:
    """The folder of one version's files: ``songs/<song>/v<n>``."""
    return f"songs/{job.song_id.hex}/v{job.number}"


def stored_extension(upload: Upload) -> str:
    """The stored file's extension, from what the content is (never from the user's name)."""
    fmt = str((upload.audio_info or {}).get("format", "")).lower()
    return fmt if fmt.isalnum() and 0 < len(fmt) <= 8 else "bin"
