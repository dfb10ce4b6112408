"""The API's operations: thin, over the mastering and uploads services and selectors.

Every read goes through an owner-scoped selector with the token's owner; another owner's id is
answered exactly like an unknown one (404).
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Status

from masterbus.api import errors
from masterbus.api.auth import TokenAuth
from masterbus.api.errors import ApiError, ErrorOut
from masterbus.api.schemas import JobCreate, JobOut, MasterOptions
from masterbus.core.files import stored_file_response
from masterbus.mastering import selectors, services
from masterbus.mastering.models import Job, JobStatus
from masterbus.mastering.services import DELIVERY_FORMATS

api = NinjaAPI(
    title="Masterbus API",
    version="1",
    description=(
        "Upload with tus at /api/v1/uploads/, master with POST /api/v1/jobs, poll the job, "
        "download. Authenticate with 'Authorization: Bearer <token>' (account settings, or "
        "`masterbus token create --email EMAIL`)."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
errors.install(api)

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_READY = "The job has not finished: poll it until its status is done."


def _job_or_404(request: HttpRequest, job_id: UUID) -> Job:
    job = selectors.job_get_for_owner(request.owner, job_id)
    if job is None:
        raise ApiError(404, "not_found", errors.NOT_FOUND)
    return job


def _job_out(job: Job) -> dict:
    done = job.status == JobStatus.DONE
    return {
        "id": job.pk,
        "song_id": job.song_id,
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
        "report_url": reverse("api:job_report", args=[job.pk]) if done else None,
        "deliveries": [
            {
                "format": d.format,
                "size": d.size,
                "url": reverse("api:job_file", args=[job.pk, d.format]),
            }
            for d in job.deliveries.all()
        ],
    }


@api.get("/jobs", response={200: list[JobOut], **ERRORS}, url_name="jobs")
def job_list(request: HttpRequest):
    """Every version of every song of the token's owner, newest first."""
    songs = selectors.song_list_for_owner(request.owner).prefetch_related("jobs__deliveries")
    jobs = [job for song in songs for job in song.jobs.all()]
    jobs.sort(key=lambda job: job.created_at, reverse=True)
    return [_job_out(job) for job in jobs]


@api.post("/jobs", response={201: JobOut, 409: ErrorOut, **ERRORS})
def job_create(request: HttpRequest, payload: JobCreate):
    """Master a finished upload (the same upload twice gives the same job)."""
    job = services.song_create_from_upload(
        owner=request.owner,
        upload_id=payload.upload_id,
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, _job_out(job))


@api.get("/jobs/{job_id}", response={200: JobOut, **ERRORS}, url_name="job")
def job_get(request: HttpRequest, job_id: UUID):
    return _job_out(_job_or_404(request, job_id))


@api.post("/jobs/{job_id}/remaster", response={201: JobOut, 409: ErrorOut, **ERRORS})
def job_remaster(request: HttpRequest, job_id: UUID, payload: MasterOptions):
    """Another version of the job's song with other options, from the kept original."""
    song = _job_or_404(request, job_id).song
    job = services.job_create(
        owner=request.owner,
        song=song,
        master_settings=payload.master_settings(),
        reference_id=payload.reference_upload_id,
    )
    return Status(201, _job_out(job))


@api.get(
    "/jobs/{job_id}/report",
    response={200: dict[str, Any], 409: ErrorOut, **ERRORS},
    url_name="job_report",
)
def job_report(request: HttpRequest, job_id: UUID):
    """The engine's report: loudness, peaks, spectrum, notes on the mix."""
    job = _job_or_404(request, job_id)
    if job.status != JobStatus.DONE:
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
def job_file(request: HttpRequest, job_id: UUID, fmt: Literal[DELIVERY_FORMATS]):  # type: ignore[valid-type]
    """One delivery file (Range requests work)."""
    delivery = _job_or_404(request, job_id).deliveries.filter(format=fmt).first()
    found = delivery and selectors.stored_file_for_owner(request.owner, "delivery", delivery.pk)
    if not found:
        raise ApiError(409, "not_ready", NOT_READY)
    name, filename = found
    return stored_file_response(request, name, filename=filename, as_attachment=True)


@api.delete("/songs/{song_id}", response={204: None, **ERRORS})
def song_delete(request: HttpRequest, song_id: UUID) -> Status:
    """Delete a song with every version and every file of it (P13)."""
    song = selectors.song_get_for_owner(request.owner, song_id)
    if song is None:
        raise ApiError(404, "not_found", "There is no such song.")
    services.song_delete(song=song)
    return Status(204, None)
