"""Album operations: several uploads mastered together, followed and re-mastered as one.

Each track is an ordinary job: its files download through ``/jobs/{id}/files/{format}``.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.api.outputs import album_out
from masterbus.api.paging import page_out, refuse_unknown_query
from masterbus.api.schemas import AlbumCreate, AlbumOut, AlbumPage, MasterOptions, PageQuery
from masterbus.mastering import selectors
from masterbus.mastering.models import Album, AlbumJob
from masterbus.mastering.services import albums, cleanup

router = Router(tags=["albums"])
NO_ALBUM = "There is no such album."


def _album_or_404(request: HttpRequest, album_id: UUID) -> Album:
    album = selectors.album_get_for_owner(request.owner, album_id)
    if album is None:
        raise ApiError(404, "not_found", NO_ALBUM)
    return album


def _version_or_404(album: Album, number: int | None) -> AlbumJob:
    versions = album.jobs.order_by("-number")
    album_job = (versions.filter(number=number) if number is not None else versions).first()
    if album_job is None:
        raise ApiError(404, "not_found", "The album has no such version.")
    return album_job


@router.post("", response={201: AlbumOut, 409: ErrorOut, **ERRORS}, url_name="albums_create")
def album_create(request: HttpRequest, payload: AlbumCreate):
    """Master finished uploads as one album, in the order given (the same uploads twice give
    the same album): one tone, and loudness consistent from track to track."""
    album_job = albums.album_create_from_uploads(
        owner=request.owner,
        title=payload.title,
        upload_ids=payload.upload_ids,
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, album_out(album_job))


@router.get("", response={200: AlbumPage, **ERRORS}, url_name="albums")
def album_list(request: HttpRequest, paging: Query[PageQuery]):
    """The owner's albums, newest first, each as its newest version; a page at a time."""
    found = selectors.album_list_for_owner(request.owner).order_by("-created_at", "-pk")
    page = found[paging.offset : paging.offset + paging.limit]
    items = [album_out(_version_or_404(album, None)) for album in page]
    return page_out(request, paging, url_name="api:albums", count=found.count(), items=items)


@router.get("/{album_id}", response={200: AlbumOut, **ERRORS}, url_name="album")
def album_get(
    request: HttpRequest,
    album_id: UUID,
    version: int | None = Query(None, ge=1, le=2**31 - 1, description="an older version"),
):
    """Status, progress and every track's job of the newest version (or of ``version``)."""
    refuse_unknown_query(request, ["version"])
    return album_out(_version_or_404(_album_or_404(request, album_id), version))


@router.post("/{album_id}/remaster", response={201: AlbumOut, 409: ErrorOut, **ERRORS})
def album_remaster(request: HttpRequest, album_id: UUID, payload: MasterOptions):
    """Another version of the whole album with other options, from the kept originals.

    429 ``quota_exceeded`` or ``rate_limited`` as for ``POST /jobs/{id}/remaster``.
    """
    album_job = albums.album_job_create(
        owner=request.owner,
        album=_album_or_404(request, album_id),
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, album_out(album_job))


@router.delete("/{album_id}", response={204: None, **ERRORS})
def album_delete(request: HttpRequest, album_id: UUID) -> Status:
    """Delete the album with its songs, every version and every file of them (P13)."""
    cleanup.album_delete(album=_album_or_404(request, album_id))
    return Status(204, None)
