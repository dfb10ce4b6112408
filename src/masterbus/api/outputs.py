"""The API's answers built from mastering rows: one place, so jobs look the same everywhere."""

from __future__ import annotations

from django.urls import reverse

from masterbus.mastering import presenters, selectors
from masterbus.mastering.models import AlbumJob, Job


def job_out(job: Job) -> dict:
    return {
        "id": job.pk,
        "song_id": job.song_id,
        "album_id": job.song.album_id if job.album_job_id else None,
        "title": job.song.title,
        "version": job.number,
        "status": job.status,
        "progress": job.progress,
        "stage": job.stage,
        "error": job.error_message or None,
        "settings": job.settings,
        "reference_name": job.reference_name or None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "playable": job.is_playable,
        "formats": presenters.format_states(job),
        "report_url": reverse("api:job_report", args=[job.pk]) if job.is_playable else None,
        "deliveries": [
            {
                "format": d.format,
                "size": d.size,
                "url": reverse("api:job_file", args=[job.pk, d.format]),
            }
            for d in job.deliveries.all()
        ],
    }


def album_out(album_job: AlbumJob) -> dict:
    """An album version: its state from the tracks, and every track's job."""
    tracks = selectors.album_job_tracks(album_job)
    status, progress = selectors.album_job_state(tracks)
    album = album_job.album
    return {
        "id": album.pk,
        "title": album.title,
        "version": album_job.number,
        "versions": list(album.jobs.order_by("number").values_list("number", flat=True)),
        "status": status,
        "progress": progress,
        "settings": album_job.settings,
        "reference_name": album_job.reference_name or None,
        "created_at": album_job.created_at,
        "tracks": [
            {
                "track": job.song.track_number,
                "album_target_lufs": ((job.report or {}).get("album") or {}).get(
                    "track_target_lufs"
                ),
                "job": job_out(job),
            }
            for job in tracks
        ],
    }
