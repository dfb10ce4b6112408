"""Pages and endpoints of the mastering app: thin, every read scoped to ``request.owner``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.accounts.services import user_set_email_on_master_ready
from masterbus.core import access, links
from masterbus.core.files import stored_file_response
from masterbus.mastering import presenters, selectors
from masterbus.mastering.errors import MasteringError
from masterbus.mastering.forms import MasterForm, MasterSettingsForm
from masterbus.mastering.links import file_url
from masterbus.mastering.models import Job, Song
from masterbus.mastering.services import cleanup, songs
from masterbus.mastering.submissions import (
    STATUS_POLL_SECONDS,
    form_submit,
    initial_settings,
    refused,
)


@access.public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "mastering/home.html", {"form": MasterForm()})


@access.guest_or_user
@require_POST
def master(request: HttpRequest) -> HttpResponse:
    """Turn a finished upload into a song and queue its first master."""
    form = MasterForm(request.POST)
    job, error = form_submit(
        form,
        lambda data: songs.song_create_from_upload(
            owner=request.owner,
            upload_id=data["upload_id"],
            master_settings=data["settings"],
            reference_id=data.get("reference_upload_id"),
        ),
    )
    if job is not None:
        return redirect(_song_url(job.song_id, job.number))
    return refused(render(request, "mastering/home.html", {"form": form}, status=400), error)


@access.guest_or_user
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    rows = [
        {"song": song, "versions": sorted(song.jobs.all(), key=lambda j: j.number)}
        for song in selectors.song_list_for_owner(request.owner)
    ]
    context = {
        "songs": rows,
        "albums": selectors.album_list_for_owner(request.owner),
        "retention_days": settings.GUEST_RETENTION_DAYS,
    }
    return render(request, "mastering/library.html", context)


@access.guest_or_user
@require_GET
def song_detail(request: HttpRequest, song_id) -> HttpResponse:
    song = get_object_or_404(Song.objects.for_owner(request.owner), pk=song_id)
    versions = selectors.song_versions(song)
    if not versions:
        raise Http404
    chosen = _chosen_version(versions, request.GET.get("v"))
    return render(request, "mastering/song.html", _song_context(song, versions, chosen))


@access.guest_or_user
@require_POST
def remaster(request: HttpRequest, song_id) -> HttpResponse:
    """Another version with other settings, from the kept original."""
    song = get_object_or_404(Song.objects.for_owner(request.owner), pk=song_id)
    form = MasterSettingsForm(request.POST)
    job, error = form_submit(
        form,
        lambda data: songs.job_create(
            owner=request.owner,
            song=song,
            master_settings=data["settings"],
            reference_id=data.get("reference_upload_id"),
        ),
    )
    if job is not None:
        return redirect(_song_url(song.pk, job.number))
    versions = selectors.song_versions(song)
    context = _song_context(song, versions, versions[-1])
    context["remaster_form"] = form
    return refused(render(request, "mastering/song.html", context, status=400), error)


@access.guest_or_user
@require_POST
def song_delete(request: HttpRequest, song_id) -> HttpResponse:
    song = get_object_or_404(Song.objects.for_owner(request.owner), pk=song_id)
    title = song.title
    cleanup.song_delete(song=song)
    messages.success(request, f"“{title}” and all its files are deleted.")
    return redirect("mastering:library")


@access.guest_or_user
@require_POST
def job_delete(request: HttpRequest, job_id) -> HttpResponse:
    """Delete one version (its files too); the song and its other versions stay."""
    job = get_object_or_404(Job.objects.select_related("song").for_owner(request.owner), pk=job_id)
    try:
        cleanup.job_delete(job=job)
    except MasteringError as exc:
        messages.error(request, str(exc))
        return redirect(_song_url(job.song_id, job.number))
    messages.success(request, f"Version {job.number} and its files are deleted.")
    return redirect("mastering:song", job.song_id)


@access.guest_or_user
@require_GET
def job_status(request: HttpRequest, job_id) -> HttpResponse:
    """The live status fragment htmx polls. The page reloads once when there is something new
    to show (the master became playable, or the job ended); a page that already plays the
    master gets the download list swapped in instead (no reload interrupts the listening)."""
    job = get_object_or_404(Job.objects.select_related("song").for_owner(request.owner), pk=job_id)
    shown_playable = request.GET.get("playable") == "1"
    context = {
        "job": job,
        "poll_seconds": STATUS_POLL_SECONDS,
        "shown_playable": shown_playable,
        "oob": True,
        "downloads": presenters.downloads(job, file_url) if shown_playable else [],
    }
    response = render(request, "mastering/_status.html", context)
    changed = job.is_playable or not job.is_active
    if not shown_playable and changed and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@access.signed_link
@require_GET
def stored_file(request: HttpRequest, token: str) -> HttpResponse:
    """A file behind a signed, expiring link, served only to its owner (P18).

    A visitor who is not signed in is sent to sign in and then comes back here: a guest who
    signs in after mastering gets the download, because their songs moved to the account.
    """
    payload = links.unsign(token, max_age=settings.FILE_LINK_MAX_AGE)
    if payload is None:
        return render(request, "mastering/link_expired.html", status=410)
    found = selectors.stored_file_for_owner(request.owner, payload.get("k"), payload.get("id"))
    if found is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    name, filename = found
    return stored_file_response(
        request, name, filename=filename, as_attachment=payload.get("k") == "delivery"
    )


@access.signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        enabled = request.POST.get("email_on_master_ready") == "on"
        user_set_email_on_master_ready(user=request.user, enabled=enabled)
        messages.success(request, "Your settings are saved.")
        return redirect("mastering:preferences")
    return render(request, "mastering/preferences.html")


def _song_url(song_id, number: int) -> str:
    return f"{reverse('mastering:song', args=[song_id])}?v={number}"


def _chosen_version(versions: list[Job], wanted: str | None) -> Job:
    for job in versions:
        if str(job.number) == wanted:
            return job
    return versions[-1]


def _song_context(song: Song, versions: list[Job], job: Job) -> dict:
    report = job.report if job.is_playable else None
    return {
        "song": song,
        "job": job,
        "shown_playable": job.is_playable,
        "versions": [{"job": v, "summary": presenters.version_summary(v.report)} for v in versions],
        "report": report,
        "downloads": presenters.downloads(job, file_url) if job.is_playable else [],
        "original_url": file_url("original_preview", job.pk) if job.original_preview else "",
        "master_url": file_url("preview", job.pk) if job.preview else "",
        "ab_match_gain_db": presenters.ab_match_gain(report),
        "measurements": presenters.measurements(report),
        "wave_before": presenters.waveform_path((report or {}).get("input")),
        "wave_after": presenters.waveform_path((report or {}).get("output")),
        "spectrum_before": presenters.spectrum_points((report or {}).get("input")),
        "spectrum_after": presenters.spectrum_points((report or {}).get("output")),
        "spectrum_ticks": presenters.SPECTRUM_TICKS,
        "remaster_form": MasterSettingsForm(initial=initial_settings(job.settings)),
        "poll_seconds": STATUS_POLL_SECONDS,
    }
