"""Pages of assistant features 1-2 and of the conversations (thin). Asking is a POST: only a
feature in use may reach a model provider (P36); every answer is recorded with its sources."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.assistant import selectors
from masterbus.assistant.features import checklist, feedback, mix
from masterbus.assistant.features.asking import feature_ask
from masterbus.assistant.forms import FeedbackForm
from masterbus.assistant.models import Feature
from masterbus.assistant.services.conversations import conversation_delete
from masterbus.assistant.services.remaster import feedback_remaster
from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.mastering.models import Song
from masterbus.mastering.selectors import song_versions
from masterbus.orders.models import EventKind, Order
from masterbus.profiles.selectors import assistant_allowed
from masterbus.studios.selectors import booking_for_party

FEEDBACK_TASK = "Explain the proposed mastering changes; keep every number and band."
CHECKLIST_TASK = "Write the engineer's revision checklist; keep every item."


def _turns(request, feature: str, subject_type: str, subject_id: str) -> list:
    found = selectors.conversation_for(
        request.user, feature=feature, subject_type=subject_type, subject_id=subject_id
    )
    return list(found.turns.all()) if found else []


def _own_song(request: HttpRequest, song_id) -> tuple[Song, list]:
    song = get_object_or_404(Song.objects.filter(user=request.user), pk=song_id)
    versions = [job for job in song_versions(song) if job.is_playable and job.report]
    if not versions:
        raise Http404
    return song, versions


def _version(versions: list, wanted) -> object:
    return next((job for job in versions if str(job.number) == str(wanted)), versions[-1])


def _ask(request: HttpRequest, **kwargs):
    try:
        return feature_ask(user=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


@access.signed_in
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistant/index.html",
        {
            "conversations": selectors.conversation_list(request.user),
            "allowed": assistant_allowed(request.user),
            "retention_days": settings.ASSISTANT_RETENTION_DAYS,
        },
    )


@access.signed_in
@require_POST
def conversation_remove(request: HttpRequest, conversation_id) -> HttpResponse:
    conversation = selectors.conversation_get(request.user, conversation_id)
    if conversation is None:
        raise Http404
    conversation_delete(conversation=conversation)
    messages.success(request, "The conversation is deleted.")
    return redirect("assistant:index")


@access.signed_in
@require_http_methods(["GET", "POST"])
def song_feedback(request: HttpRequest, song_id) -> HttpResponse:
    """Feature 1: the words about a version become proposed changes (and a re-master button)."""
    song, versions = _own_song(request, song_id)
    form = FeedbackForm(request.POST or None, initial={"v": request.GET.get("v")})
    job = _version(versions, request.POST.get("v") or request.GET.get("v"))
    answer = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        answer = _ask(
            request,
            feature=Feature.FEEDBACK,
            question=text,
            task=FEEDBACK_TASK,
            compute=lambda: feedback.feedback_answer(text, song=song, job=job),
            subject_type="song",
            subject_id=str(song.pk),
        )
    context = {
        "song": song,
        "job": job,
        "versions": versions,
        "form": form,
        "answer": answer,
        "proposal": answer.data["proposal"] if answer else None,
        "turns": _turns(request, Feature.FEEDBACK, "song", str(song.pk)),
        "allowed": assistant_allowed(request.user),
    }
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "assistant/feedback.html", context, status=status)


@access.signed_in
@require_POST
def song_remaster(request: HttpRequest, song_id) -> HttpResponse:
    song, versions = _own_song(request, song_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Describe what should change (at most 2000 characters).")
        return redirect("assistant:feedback", song.pk)
    job = _version(versions, form.cleaned_data.get("v"))
    try:
        new = feedback_remaster(
            user=request.user, song=song, job=job, text=form.cleaned_data["text"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('assistant:feedback', args=[song.pk])}?v={job.number}")
    messages.success(
        request,
        f"Version {new.number} is being mastered with the proposed changes; compare it with "
        f"version {job.number} in the versions list below.",
    )
    return redirect(f"{reverse('mastering:song', args=[song.pk])}?v={new.number}")


@access.signed_in
@require_http_methods(["GET", "POST"])
def song_mix(request: HttpRequest, song_id) -> HttpResponse:
    """Feature 2: what to fix in the mix, from the analysis of the uploaded file."""
    song, versions = _own_song(request, song_id)
    job = versions[-1]
    if request.method == "POST":
        _ask(request, **mix.mix_ask(song=song, job=job))
        return redirect("assistant:mix", song.pk)
    turns = _turns(request, Feature.MIX, "song", str(song.pk))
    return render(request, "assistant/mix.html", {"song": song, "turns": turns})


@access.signed_in
@require_http_methods(["GET", "POST"])
def booking_prep(request: HttpRequest, booking_id) -> HttpResponse:
    """Feature 2: a prep list for a booking the user is a party to."""
    booking = booking_for_party(request.user, booking_id)
    if booking is None:
        raise Http404
    if request.method == "POST":
        # the client's own latest mix only: the studio owner sees the prep list without it
        mine = booking.client_id == request.user.pk
        job = selectors.latest_mastered_job(request.user) if mine else None
        _ask(request, **mix.session_ask(booking=booking, latest_job=job))
        return redirect("assistant:booking_prep", booking.pk)
    turns = _turns(request, Feature.SESSION, "booking", str(booking.pk))
    return render(request, "assistant/session.html", {"booking": booking, "turns": turns})


@access.signed_in
@require_http_methods(["GET", "POST"])
def order_checklist(request: HttpRequest, order_id) -> HttpResponse:
    """Feedback translation for an engineer order: the engineer's revision checklist."""
    order = get_object_or_404(Order, pk=order_id, engineer=request.user)
    if request.method == "POST":
        event = order.events.filter(kind=EventKind.REVISION_REQUESTED).order_by("-at").first()
        delivery = order.deliveries.order_by("-number").first()
        notes = list(delivery.notes.order_by("at_seconds")) if delivery else []
        _ask(
            request,
            feature=Feature.CHECKLIST,
            question="Turn the client's revision notes into a checklist.",
            task=CHECKLIST_TASK,
            compute=lambda: checklist.checklist_answer(
                order=order, request_text=event.text if event else "", notes=notes
            ),
            subject_type="order",
            subject_id=str(order.pk),
        )
        return redirect("assistant:order_checklist", order.pk)
    turns = _turns(request, Feature.CHECKLIST, "order", str(order.pk))
    return render(request, "assistant/checklist.html", {"order": order, "turns": turns})
