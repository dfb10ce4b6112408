"""Mastering reads, always scoped to the owner (P18): another owner's id reads as unknown."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from masterbus.mastering.models import (
    ACTIVE_STATUSES,
    Album,
    AlbumJob,
    Delivery,
    Job,
    JobStatus,
    Song,
)

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def song_list_for_owner(owner: Owner) -> QuerySet[Song]:
    return Song.objects.for_owner(owner).select_related("album").prefetch_related("jobs")


def song_get_for_owner(owner: Owner, song_id) -> Song | None:
    pk = _uuid(song_id)
    return Song.objects.for_owner(owner).filter(pk=pk).first() if pk else None


def job_get_for_owner(owner: Owner, job_id) -> Job | None:
    pk = _uuid(job_id)
    if pk is None:
        return None
    return Job.objects.select_related("song").for_owner(owner).filter(pk=pk).first()


def song_versions(song: Song) -> list[Job]:
    return list(song.jobs.prefetch_related("deliveries").order_by("number"))


def job_page_for_owner(owner: Owner, *, offset: int, limit: int) -> tuple[int, list[Job]]:
    """(count of all, one page) of the owner's jobs, newest first; the id breaks ties."""
    jobs = Job.objects.for_owner(owner)
    page = (
        jobs.select_related("song", "album_job")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")[offset : offset + limit]
    )
    return jobs.count(), list(page)


def album_list_for_owner(owner: Owner) -> QuerySet[Album]:
    return Album.objects.for_owner(owner).prefetch_related("jobs", "tracks")


def album_get_for_owner(owner: Owner, album_id) -> Album | None:
    pk = _uuid(album_id)
    return Album.objects.for_owner(owner).filter(pk=pk).first() if pk else None


def album_job_get_for_owner(owner: Owner, album_job_id) -> AlbumJob | None:
    pk = _uuid(album_job_id)
    if pk is None:
        return None
    return AlbumJob.objects.select_related("album").for_owner(owner).filter(pk=pk).first()


def album_versions(album: Album) -> list[AlbumJob]:
    return list(album.jobs.order_by("number"))


def album_job_tracks(album_job: AlbumJob) -> list[Job]:
    """The album job's track jobs in track order (a track whose song was deleted is gone)."""
    return list(
        album_job.tracks.select_related("song")
        .prefetch_related("deliveries")
        .order_by("song__track_number", "song__pk")
    )


def album_job_state(tracks: list[Job]) -> tuple[str, float]:
    """(status, progress) of an album job from its tracks.

    Queued until a track starts, analysing while the started tracks only analyse, mastering
    while any track is still to finish; then failed if a track failed, else done.
    """
    statuses = {job.status for job in tracks}
    progress = sum(1.0 if job.status == JobStatus.FAILED else job.progress for job in tracks)
    fraction = round(progress / len(tracks), 4) if tracks else 1.0
    if statuses & set(ACTIVE_STATUSES):
        if statuses == {JobStatus.QUEUED}:
            return JobStatus.QUEUED, fraction
        if statuses <= {JobStatus.QUEUED, JobStatus.ANALYSING}:
            return JobStatus.ANALYSING, fraction
        return JobStatus.MASTERING, fraction
    if JobStatus.FAILED in statuses:
        return JobStatus.FAILED, fraction
    return JobStatus.DONE, fraction


def album_zip_entries(album_job: AlbumJob, fmt: str) -> list[tuple[str, str]]:
    """(storage name, name in the zip) of every track's delivery in one format, in track order."""
    entries = []
    for job in album_job_tracks(album_job):
        delivery = next((d for d in job.deliveries.all() if d.format == fmt), None)
        if delivery is not None:
            ext = delivery.file.rsplit(".", 1)[-1]
            entries.append(
                (delivery.file, f"{job.song.track_number or 0:02d} {_stem(job.song.title)}.{ext}")
            )
    return entries


def stored_file_for_owner(owner: Owner, kind: str, object_id) -> tuple[str, str] | None:
    """(storage name, download file name) of one of the owner's files, or None."""
    if kind == "delivery":
        delivery = (
            Delivery.objects.select_related("job__song")
            .filter(pk=object_id if str(object_id).isdigit() else None)
            .for_owner(owner)
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
