"""Mastering reads, always scoped to the owner (P18): another owner's id reads as unknown."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from masterbus.mastering.models import Delivery, Job, Song

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner


def _song_scope(owner: Owner) -> dict:
    return {f"song__{key}": value for key, value in owner.filter_kwargs().items()}


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def song_list_for_owner(owner: Owner) -> QuerySet[Song]:
    return Song.objects.filter(**owner.filter_kwargs()).prefetch_related("jobs")


def song_get_for_owner(owner: Owner, song_id) -> Song | None:
    pk = _uuid(song_id)
    return Song.objects.filter(pk=pk, **owner.filter_kwargs()).first() if pk else None


def job_get_for_owner(owner: Owner, job_id) -> Job | None:
    pk = _uuid(job_id)
    if pk is None:
        return None
    return Job.objects.select_related("song").filter(pk=pk, **_song_scope(owner)).first()


def song_versions(song: Song) -> list[Job]:
    return list(song.jobs.prefetch_related("deliveries").order_by("number"))


def stored_file_for_owner(owner: Owner, kind: str, object_id) -> tuple[str, str] | None:
    """(storage name, download file name) of one of the owner's files, or None."""
    if kind == "delivery":
        delivery = (
            Delivery.objects.select_related("job__song")
            .filter(pk=object_id if str(object_id).isdigit() else None)
            .filter(**{f"job__{k}": v for k, v in _song_scope(owner).items()})
            .first()
        )
        if delivery is None:
            return None
        job = delivery.job
        ext = delivery.file.rsplit(".", 1)[-1]
        label = delivery.format.upper()
        return delivery.file, f"{_stem(job.song.title)} (master v{job.number} {label}).{ext}"
    if kind == "preview":
        job = job_get_for_owner(owner, object_id)
        if job is None or not job.preview:
            return None
        return job.preview, f"{_stem(job.song.title)} (preview v{job.number}).wav"
    if kind == "original_preview":
        job = job_get_for_owner(owner, object_id)
        if job is None or not job.original_preview:
            return None
        return job.original_preview, f"{_stem(job.song.title)} (original preview).wav"
    return None


def _stem(title: str) -> str:
    stem = title.rsplit(".", 1)[0] if "." in title else title
    return stem[:120] or "song"
