"""Albums from the owner's finished uploads (one song per upload) and their album versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max

from masterbus.core import storage
from masterbus.mastering import quotas
from masterbus.mastering.errors import MasteringError
from masterbus.mastering.models import Album, AlbumJob, Song
from masterbus.mastering.services.songs import (
    job_create_queued,
    remaster_allowed,
    song_new_from_upload,
    upload_check_usable,
    uploads_delete,
)
from masterbus.uploads.models import Upload
from masterbus.uploads.selectors import upload_get_for_owner

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

ALBUM_MAX_TRACKS = 30


def album_create_from_uploads(
    *, owner: Owner, title: str, upload_ids: list, master_settings: dict, reference_id=None
) -> AlbumJob:
    """Make an album of the owner's finished uploads, in this order, and queue its first master.

    Each upload becomes a song (a track) with a job of its own, so a track is leased, swept and
    delivered exactly like a single song; the album job ties the tracks' jobs together. The same
    uploads twice give the same album (a double click). Raises UploadError for an unknown upload.
    """
    ids = [str(upload_id) for upload_id in upload_ids]
    if not ids:
        raise MasteringError("Add at least one song to the album.")
    if len(ids) > ALBUM_MAX_TRACKS:
        raise MasteringError(f"An album has at most {ALBUM_MAX_TRACKS} songs.")
    if len(set(ids)) != len(ids):
        raise MasteringError("The same song is in the album twice.")
    if reference_id is not None and str(reference_id) in ids:
        raise MasteringError("The reference track cannot also be a song of the album.")
    existing = _album_job_from_upload(owner, ids[0])
    if existing is not None:
        return existing
    uploads = [upload_get_for_owner(owner, upload_id) for upload_id in ids]
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    for upload in [*uploads, reference]:
        if upload is not None:
            upload_check_usable(upload)
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    album = Album(**owner.create_kwargs(), title=title.strip()[:200] or "Untitled album")
    songs: list[Song] = []
    try:
        for number, upload in enumerate(uploads, start=1):
            songs.append(song_new_from_upload(owner, upload, album=album, track_number=number))
        with transaction.atomic():
            album.save(force_insert=True)
            for song in songs:
                song.save(force_insert=True)
            album_job = _album_job_create(
                album=album, songs=songs, master_settings=master_settings, reference=reference
            )
            uploads_delete([*uploads, reference])
    except IntegrityError:  # the same uploads, submitted twice at the same moment
        storage.delete([song.original for song in songs])
        existing = _album_job_from_upload(owner, ids[0])
        if existing is None:
            raise
        return existing
    except BaseException:
        storage.delete([song.original for song in songs])
        raise
    return album_job


def _album_job_from_upload(owner: Owner, upload_id) -> AlbumJob | None:
    song = Song.objects.for_owner(owner).filter(source_upload_id=upload_id).first()
    if song is None or song.album_id is None:
        return None
    return AlbumJob.objects.filter(album_id=song.album_id).order_by("-number").first()


def album_job_create(
    *, owner: Owner, album: Album, master_settings: dict, reference_id=None
) -> AlbumJob:
    """Master the whole album again with other settings, from the kept originals."""
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    songs = list(album.tracks.order_by("track_number"))
    if not songs:
        raise MasteringError("This album has no songs left to master.")
    remaster_allowed(owner)
    with transaction.atomic():
        album_job = _album_job_create(
            album=album, songs=songs, master_settings=master_settings, reference=reference
        )
        uploads_delete([reference])
    return album_job


@transaction.atomic
def _album_job_create(
    *, album: Album, songs: list[Song], master_settings: dict, reference: Upload | None
) -> AlbumJob:
    number = (album.jobs.aggregate(n=Max("number"))["n"] or 0) + 1
    album_job = AlbumJob.objects.create(
        album=album,
        number=number,
        settings=master_settings,
        reference_name=reference.filename if reference is not None else "",
    )
    for song in songs:
        job_create_queued(
            song=song, master_settings=master_settings, reference=reference, album_job=album_job
        )
    return album_job
