"""Album pages: upload several songs, master them together, follow the tracks, download."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.mastering import selectors
from masterbus.mastering.archive import zip_stream
from masterbus.mastering.forms import AlbumForm, MasterSettingsForm
from masterbus.mastering.links import file_url
from masterbus.mastering.models import Album, AlbumJob, DeliveryFormat, JobStatus
from masterbus.mastering.services import albums, cleanup
from masterbus.mastering.submissions import (
    STATUS_POLL_SECONDS,
    form_submit,
    initial_settings,
    refused,
)


@access.public
@require_GET
def album_new(request: HttpRequest) -> HttpResponse:
    return render(request, "mastering/album_new.html", {"form": AlbumForm()})


@access.guest_or_user
@require_POST
def album_master(request: HttpRequest) -> HttpResponse:
    """Make an album of finished uploads and queue the master of every track."""
    form = AlbumForm(request.POST)
    album_job, error = form_submit(
        form,
        lambda data: albums.album_create_from_uploads(
            owner=request.owner,
            title=data["title"],
            upload_ids=data["upload_ids"],
            master_settings=data["settings"],
            reference_id=data.get("reference_upload_id"),
        ),
    )
    if album_job is not None:
        return redirect(_album_url(album_job.album_id, album_job.number))
    return refused(render(request, "mastering/album_new.html", {"form": form}, status=400), error)


@access.guest_or_user
@require_GET
def album_detail(request: HttpRequest, album_id) -> HttpResponse:
    album = get_object_or_404(Album.objects.for_owner(request.owner), pk=album_id)
    versions = selectors.album_versions(album)
    if not versions:
        raise Http404
    chosen = next((v for v in versions if str(v.number) == request.GET.get("v")), versions[-1])
    return render(request, "mastering/album.html", _album_context(album, versions, chosen))


@access.guest_or_user
@require_GET
def album_status(request: HttpRequest, album_job_id) -> HttpResponse:
    """The tracks fragment htmx polls while any track is still being mastered."""
    album_job = get_object_or_404(_album_jobs(request), pk=album_job_id)
    return render(request, "mastering/_album_tracks.html", _tracks_context(album_job))


@access.guest_or_user
@require_POST
def album_remaster(request: HttpRequest, album_id) -> HttpResponse:
    """Every track again with other settings, from the kept originals."""
    album = get_object_or_404(Album.objects.for_owner(request.owner), pk=album_id)
    form = MasterSettingsForm(request.POST)
    album_job, error = form_submit(
        form,
        lambda data: albums.album_job_create(
            owner=request.owner,
            album=album,
            master_settings=data["settings"],
            reference_id=data.get("reference_upload_id"),
        ),
    )
    if album_job is not None:
        return redirect(_album_url(album.pk, album_job.number))
    versions = selectors.album_versions(album)
    context = _album_context(album, versions, versions[-1])
    context["remaster_form"] = form
    return refused(render(request, "mastering/album.html", context, status=400), error)


@access.guest_or_user
@require_POST
def album_delete(request: HttpRequest, album_id) -> HttpResponse:
    album = get_object_or_404(Album.objects.for_owner(request.owner), pk=album_id)
    title = album.title
    cleanup.album_delete(album=album)
    messages.success(request, f"The album “{title}”, its songs and all their files are deleted.")
    return redirect("mastering:library")


@access.guest_or_user
@require_GET
def album_zip(request: HttpRequest, album_job_id, fmt: str) -> HttpResponse:
    """Every finished track of the album version in one format, as one zip."""
    album_job = get_object_or_404(_album_jobs(request), pk=album_job_id)
    if fmt not in DeliveryFormat.values:
        raise Http404
    entries = selectors.album_zip_entries(album_job, fmt)
    if not entries:
        raise Http404
    response = StreamingHttpResponse(zip_stream(entries), content_type="application/zip")
    filename = f"{album_job.album.title[:120]} (master v{album_job.number} {fmt.upper()}).zip"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _album_jobs(request: HttpRequest) -> QuerySet[AlbumJob]:
    return AlbumJob.objects.select_related("album").for_owner(request.owner)


def _album_url(album_id, number: int) -> str:
    return f"{reverse('mastering:album', args=[album_id])}?v={number}"


def _tracks_context(album_job: AlbumJob) -> dict:
    tracks = selectors.album_job_tracks(album_job)
    status, progress = selectors.album_job_state(tracks)
    rows = [
        {
            "job": job,
            "song": job.song,
            "album": (job.report or {}).get("album") or {},
            "downloads": [
                {"format": d.format, "size": d.size, "url": file_url("delivery", d.pk)}
                for d in job.deliveries.all()
            ],
        }
        for job in tracks
    ]
    done = status in (JobStatus.DONE, JobStatus.FAILED)
    return {
        "album_job": album_job,
        "tracks": rows,
        "status": status,
        "status_label": JobStatus(status).label,
        "progress": progress,
        "active": not done,
        # A zip per format once nothing runs any more and some track has files.
        "zip_formats": DeliveryFormat.values if done and any(r["downloads"] for r in rows) else (),
        "poll_seconds": STATUS_POLL_SECONDS,
    }


def _album_context(album: Album, versions: list[AlbumJob], album_job: AlbumJob) -> dict:
    return {
        "album": album,
        "versions": versions,
        **_tracks_context(album_job),
        "remaster_form": MasterSettingsForm(initial=initial_settings(album_job.settings)),
    }
