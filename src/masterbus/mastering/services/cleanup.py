"""Deleting versions, songs and albums with every file of them (P13), and the guest purge (P12).

Files go once the rows are gone (``on_commit``), so a rolled-back delete keeps them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.core import storage
from masterbus.mastering.errors import JobBusyError, LastVersionError
from masterbus.mastering.models import ACTIVE_STATUSES, Album, Job, Song
from masterbus.mastering.naming import job_prefix, song_folder
from masterbus.uploads.models import Upload
from masterbus.uploads.services import upload_delete

logger = logging.getLogger(__name__)


def job_delete(*, job: Job) -> None:
    """Delete one version of a song with its deliveries and files; the song and others stay.

    A version still in the queue or being mastered is refused (the worker holds it), and so is
    the song's only version: deleting that is deleting the song. A track of an album version
    waits for the whole album, whose loudness targets its queued tracks still read.
    """
    if job.is_active:
        raise JobBusyError("This version is still being mastered: wait until it is done or failed.")
    if (
        job.album_job_id
        and Job.objects.filter(album_job_id=job.album_job_id, status__in=ACTIVE_STATUSES).exists()
    ):
        raise JobBusyError("Its album is still being mastered: wait until every track is done.")
    if not job.song.jobs.exclude(pk=job.pk).exists():
        raise LastVersionError("This is the song's only version: delete the song instead.")
    names = [job.reference, job.preview, job.original_preview]
    names += list(job.deliveries.values_list("file", flat=True))
    # Conditional, so a version that a sweeper re-queued a moment ago is not pulled from a worker.
    deleted, _ = Job.objects.filter(pk=job.pk).exclude(status__in=ACTIVE_STATUSES).delete()
    if not deleted:
        raise JobBusyError("This version is still being mastered: wait until it is done or failed.")
    folder = job_prefix(job)

    def remove_files() -> None:
        storage.delete(names)
        storage.remove_empty_dirs(folder)

    transaction.on_commit(remove_files)


def album_delete(*, album: Album) -> None:
    """Delete an album with every track (song), version and file of it (P13)."""
    for song in album.tracks.all():
        song_delete(song=song)
    album.delete()


def song_delete(*, song: Song) -> None:
    """Delete a song, its versions and every file of it (P13); files go once the rows are gone."""
    folder = song_folder(song.id)
    names = [song.original]
    for job in song.jobs.all():
        names += [job.reference, job.preview, job.original_preview]
        names += list(job.deliveries.values_list("file", flat=True))
    song.delete()

    def remove_files() -> None:
        storage.delete(names)
        storage.remove_empty_dirs(folder)

    transaction.on_commit(remove_files)


def guest_songs_purge(*, now=None) -> int:
    """Delete guest songs (with their files) and guest uploads older than the retention (P12)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.GUEST_RETENTION_DAYS)
    count = owned_media_delete(user=None, created_at__lt=cutoff)
    if count:
        logger.info("purged %d expired guest song(s) and upload(s)", count)
    return count


def owned_media_delete(**lookup) -> int:
    """Delete the albums, songs and uploads that match ``lookup``, files included; how many.

    The one way to remove someone's media wholesale: the guest purge and the account purge.
    """
    count = 0
    for album in Album.objects.filter(**lookup):
        album_delete(album=album)
        count += 1
    for song in Song.objects.filter(**lookup):
        song_delete(song=song)
        count += 1
    for upload in Upload.objects.filter(**lookup):
        upload_delete(upload=upload)
        count += 1
    return count
