"""The API's operations: thin, over the mastering and uploads services and selectors.

Every read goes through an owner-scoped selector with the token's owner; another owner's id is
answered exactly like an unknown one (404).
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Status

from masterbus.api import errors
from masterbus.api.albums import router as albums_router
from masterbus.api.assistant import router as assistant_router
from masterbus.api.assistant_more import router as assistant_more_router
from masterbus.api.auth import TokenAuth
from masterbus.api.community import router as community_router
from masterbus.api.courses import router as courses_router
from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.api.messaging import router as messaging_router
from masterbus.api.orders import router as orders_router
from masterbus.api.outputs import job_out
from masterbus.api.paging import page_out
from masterbus.api.previews import router as previews_router
from masterbus.api.schemas import JobCreate, JobOut, JobPage, MasterOptions, PageQuery
from masterbus.api.shop import router as shop_router
from masterbus.api.studios import router as studios_router
from masterbus.api.training import router as training_router
from masterbus.core.files import stored_file_response
from masterbus.mastering import selectors
from masterbus.mastering.models import DeliveryFormat, Job
from masterbus.mastering.services import cleanup, songs

api = NinjaAPI(
    title="Masterbus API",
    version="1",
    description=(
        "Upload with tus at /api/v1/uploads/, master with POST /api/v1/jobs, poll the job, "
        "download. Authenticate with 'Authorization: Bearer <token>' (account settings, or "
        "`masterbus token create --email EMAIL [--expires-days N]`). A token stops working when "
        "it expires, is revoked, or its owner changes or resets the password or signs out all "
        "other sessions: the API then answers 401 with the code `unauthorized`."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/albums", albums_router)
api.add_router("", orders_router)
api.add_router("", messaging_router)
api.add_router("/uploads", previews_router)
api.add_router("", studios_router)
api.add_router("", courses_router)
api.add_router("", training_router)
api.add_router("", community_router)
api.add_router("", shop_router)
api.add_router("", assistant_router)
api.add_router("", assistant_more_router)

NOT_READY = "The job has not finished: poll it until its status is done."


def _job_or_404(request: HttpRequest, job_id: UUID) -> Job:
    job = selectors.job_get_for_owner(request.owner, job_id)
    if job is None:
        raise ApiError(404, "not_found", errors.NOT_FOUND)
    return job


@api.get("/jobs", response={200: JobPage, **ERRORS}, url_name="jobs")
def job_list(request: HttpRequest, paging: Query[PageQuery]):
    """Every version of every song of the token's owner, newest first, a page at a time.

    Follow ``next`` until it is null; the order is stable (creation time, then id).
    """
    count, jobs = selectors.job_page_for_owner(
        request.owner, offset=paging.offset, limit=paging.limit
    )
    items = [job_out(job) for job in jobs]
    return page_out(request, paging, url_name="api:jobs", count=count, items=items)


@api.post("/jobs", response={201: JobOut, 409: ErrorOut, **ERRORS})
def job_create(request: HttpRequest, payload: JobCreate):
    """Master a finished upload (the same upload twice gives the same job).

    429 ``quota_exceeded`` (with Retry-After) while the owner already has the most masters
    queued or running.
    """
    job = songs.song_create_from_upload(
        owner=request.owner,
        upload_id=payload.upload_id,
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, job_out(job))


@api.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, url_name="job")
def job_get(request: HttpRequest, job_id: UUID):
    return job_out(_job_or_404(request, job_id))


@api.post("/jobs/{job_id}/remaster", response={201: JobOut, 409: ErrorOut, **ERRORS})
def job_remaster(request: HttpRequest, job_id: UUID, payload: MasterOptions):
    """Another version of the job's song with other options, from the kept original.

    429 ``quota_exceeded`` while the owner has the most masters queued or running; 429
    ``rate_limited`` (with Retry-After) past the owner's re-masters per hour (songs and albums).
    """
    song = _job_or_404(request, job_id).song
    job = songs.job_create(
        owner=request.owner,
        song=song,
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, job_out(job))


@api.get(
    "/jobs/{job_id}/report",
    response={200: dict[str, Any], 409: ErrorOut, **ERRORS},
    url_name="job_report",
)
def job_report(request: HttpRequest, job_id: UUID):
    """The engine's report: loudness, peaks, spectrum, notes on the mix (once playable)."""
    job = _job_or_404(request, job_id)
    if not job.is_playable:
        raise ApiError(409, "not_ready", NOT_READY)
    return job.report


@api.get(
    "/jobs/{job_id}/files/{fmt}",
    response={200: None, 409: ErrorOut, **ERRORS},
    url_name="job_file",
    openapi_extra={
        "responses": {200: {"description": "The audio file", "content": {"audio/*": {}}}}
    },
)
def job_file(request: HttpRequest, job_id: UUID, fmt: Literal[tuple(DeliveryFormat.values)]):  # type: ignore[valid-type]
    """One delivery file (Range requests work)."""
    delivery = _job_or_404(request, job_id).deliveries.filter(format=fmt).first()
    found = delivery and selectors.stored_file_for_owner(request.owner, "delivery", delivery.pk)
    if not found:
        raise ApiError(409, "not_ready", NOT_READY)
    name, filename = found
    return stored_file_response(request, name, filename=filename, as_attachment=True)


@api.delete("/jobs/{job_id}", response={204: None, 409: ErrorOut, **ERRORS})
def job_delete(request: HttpRequest, job_id: UUID) -> Status:
    """Delete one version with its deliveries and files; the song and its other versions stay.

    409 ``job_busy`` while the version is queued or being mastered; 409 ``last_version`` for a
    song's only version (delete the song instead).
    """
    cleanup.job_delete(job=_job_or_404(request, job_id))  # JobBusyError, LastVersionError: 409
    return Status(204, None)


@api.delete("/songs/{song_id}", response={204: None, **ERRORS})
def song_delete(request: HttpRequest, song_id: UUID) -> Status:
    """Delete a song with every version and every file of it (P13)."""
    song = selectors.song_get_for_owner(request.owner, song_id)
    if song is None:
        raise ApiError(404, "not_found", "There is no such song.")
    cleanup.song_delete(song=song)
    return Status(204, None)
