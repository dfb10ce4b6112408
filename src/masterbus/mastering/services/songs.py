"""Songs from the owner's finished uploads, and their versions (jobs), queued on commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max

from masterbus.core import storage
from masterbus.mastering import quotas
from masterbus.mastering.errors import MasteringError
from masterbus.mastering.models import AlbumJob, Job, Song
from masterbus.mastering.naming import job_prefix, stored_extension
from masterbus.mastering.services.queue import job_enqueue
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner
from masterbus.uploads.services import upload_delete

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner


def song_create_from_upload(
    *, owner: Owner, upload_id, master_settings: dict, reference_id=None
) -> Job:
    """Make a song of the owner's finished upload and queue its first version.

    The song takes the upload's bytes into its own folder and the upload row goes away, so the
    original stays exactly as long as the song does (P12, P13). The same upload twice gives the
    same song (a double click on Master). Raises UploadError for an unknown upload.
    """
    existing = _song_from_upload(owner, upload_id)
    if existing is not None:
        return existing
    upload = upload_get_for_owner(owner, upload_id)
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    upload_check_usable(upload)
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    song = song_new_from_upload(owner, upload)
    try:
        with transaction.atomic():
            song.save(force_insert=True)
            job = job_create_queued(song=song, master_settings=master_settings, reference=reference)
            uploads_delete([upload, reference])
    except IntegrityError:  # the same upload, submitted twice at the same moment
        storage.delete([song.original])
        existing = _song_from_upload(owner, upload_id)
        if existing is None:
            raise
        return existing
    except BaseException:
        storage.delete([song.original])
        raise
    return job


def _song_from_upload(owner: Owner, upload_id) -> Job | None:
    song = Song.objects.for_owner(owner).filter(source_upload_id=upload_id).first()
    return song.jobs.order_by("-number").first() if song else None


def song_new_from_upload(owner: Owner, upload: Upload, **fields) -> Song:
    """An unsaved song whose original already holds the upload's bytes in the song's folder."""
    song = Song(
        **owner.create_kwargs(),
        title=upload.filename,
        source_upload_id=upload.pk,
        original_size=upload.length,
        audio_info=upload.audio_info or {},
        **fields,
    )
    song.original = storage.store(
        f"songs/{song.id.hex}/original.{stored_extension(upload)}", upload_file_path(upload)
    )
    return song


def uploads_delete(uploads: list[Upload | None]) -> None:
    """The uploads a song or job took its bytes from: their rows (and files) are done with."""
    for upload in uploads:
        if upload is not None:
            upload_delete(upload=upload)


def job_create(*, owner: Owner, song: Song, master_settings: dict, reference_id=None) -> Job:
    """Queue another version of a song with other settings (no new upload needed)."""
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    remaster_allowed(owner)
    with transaction.atomic():
        job = job_create_queued(song=song, master_settings=master_settings, reference=reference)
        uploads_delete([reference])
    return job


@transaction.atomic
def job_create_queued(
    *,
    song: Song,
    master_settings: dict,
    reference: Upload | None,
    album_job: AlbumJob | None = None,
) -> Job:
    """A queued version with its own copy of the reference (deleting a version deletes it)."""
    if reference is not None:
        upload_check_usable(reference)
    number = (song.jobs.aggregate(n=Max("number"))["n"] or 0) + 1
    job = Job(song=song, number=number, settings=master_settings, album_job=album_job)
    if reference is not None:
        job.reference_name = reference.filename
        job.reference = storage.store(
            f"{job_prefix(job)}/reference.{stored_extension(reference)}",
            upload_file_path(reference),
        )
    job.save(force_insert=True)
    transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def remaster_allowed(owner: Owner) -> None:
    """The quotas a re-master (of a song or an album) must pass; the rate is counted last."""
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    quotas.remaster_rate_check(owner=owner)


def upload_check_usable(upload: Upload) -> None:
    """Refuse an upload that failed or has not finished (MasteringError, for the person)."""
    if upload.status == UploadStatus.FAILED:
        raise MasteringError(upload.error_message or "This upload could not be used.")
    if upload.status != UploadStatus.COMPLETE:
        raise MasteringError("The upload has not finished yet: wait for it to reach 100 %.")
