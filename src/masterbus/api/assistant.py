"""Assistant features 1-2 and the user's conversations over the JSON API (issue 15).

Every subject is read for the token's user only (another user's song or booking: 404); asking
is a POST (a feature in use: only then may a model provider phrase it, P36); the switch off
answers 403 ``assistant_off`` before anything is read.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.api.outputs import job_out
from masterbus.api.paging import page_out
from masterbus.api.schemas import JobOut, PageQuery
from masterbus.assistant import selectors
from masterbus.assistant.errors import AssistantError
from masterbus.assistant.features import feedback, mix
from masterbus.assistant.features.asking import feature_ask
from masterbus.assistant.models import Feature
from masterbus.assistant.services.conversations import conversation_delete
from masterbus.assistant.services.remaster import feedback_remaster
from masterbus.mastering.models import Job, Song
from masterbus.studios.selectors import booking_for_party

router = Router(tags=["assistant"])
RESPONSES = {**ERRORS, 403: ErrorOut}
NO_SONG = "There is no such song with a finished version."
NO_BOOKING = "There is no such booking."
NO_CONVERSATION = "There is no such conversation."


class FeedbackIn(Schema):
    # Empty is refused (400 invalid_text) after the song is checked: a song not yours is a 404
    # whatever the body.
    text: str = Field(
        "", max_length=settings.ASSISTANT_MAX_INPUT_CHARS,
        description="the listener's words, e.g. 'the low end is muddy and the vocals are harsh'",
    )  # fmt: skip
    version: int | None = Field(None, ge=1, le=100000, description="default: the latest")


class SourceOut(Schema):
    title: str
    kind: str = ""
    url: str = ""


class AnswerOut(Schema):
    text: str
    provider: str = Field(description='"offline" or the model service that phrased the text')
    sources: list[SourceOut]


class ChangeOut(Schema):
    kind: str = Field(description='"eq", "width", "intensity" or "loudness"')
    term: str
    label: str
    reason: str
    freq_hz: float | None = None
    gain_db: float | None = None
    net_db: float | None = None
    to: float | None = None


class ProposalOut(AnswerOut):
    version: int
    changes: list[ChangeOut]
    negated: list[str]
    unknown: list[str]
    settings: dict | None = Field(description="the re-master's settings; null: nothing to do")


class MixItemOut(Schema):
    topic: str
    measured: str
    advice: str


class MixOut(AnswerOut):
    items: list[MixItemOut]


class TurnOut(Schema):
    role: str
    text: str
    sources: list[SourceOut]
    provider: str
    created_at: datetime


class ConversationOut(Schema):
    id: UUID
    feature: str
    subject_type: str
    subject_id: str
    created_at: datetime
    updated_at: datetime
    turns: list[TurnOut]

    @staticmethod
    def resolve_turns(obj) -> list:
        return list(obj.turns.all())


class ConversationPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ConversationOut]


def _song_version(request: HttpRequest, song_id: UUID, version: int | None) -> tuple[Song, Job]:
    song = Song.objects.filter(user=request.owner.user, pk=song_id).first()
    jobs = [j for j in song.jobs.order_by("number") if j.is_playable and j.report] if song else []
    if not jobs:
        raise ApiError(404, "not_found", NO_SONG)
    job = next((j for j in jobs if j.number == version), None) if version else jobs[-1]
    if job is None:
        raise ApiError(404, "not_found", "There is no such finished version of this song.")
    return song, job


def assistant_ask(request: HttpRequest, **kwargs):
    """Ask for the token's user; the switch off is a 403 ``assistant_off`` (both routers)."""
    try:
        return feature_ask(user=request.owner.user, **kwargs)
    except AssistantError as exc:
        if exc.code == "assistant_off":
            raise ApiError(403, exc.code, exc.message) from None
        raise


def answer_out(answer) -> dict:
    return {"text": answer.text, "provider": answer.provider, "sources": answer.sources}


def _clean(text: str) -> str:
    text = text.replace("\x00", "").strip()
    if not text:
        raise ApiError(400, "invalid_text", "Describe what should change (1 to 2,000 characters).")
    return text


@router.post("/assistant/songs/{song_id}/feedback", response={200: ProposalOut, **RESPONSES})
def feedback_translate(request: HttpRequest, song_id: UUID, payload: FeedbackIn):
    """Feature 1: the words about a version become proposed, explained changes."""
    song, job = _song_version(request, song_id, payload.version)
    text = _clean(payload.text)
    answer = assistant_ask(
        request,
        feature=Feature.FEEDBACK,
        question=text,
        task="Explain the proposed mastering changes; keep every number and band.",
        compute=lambda: feedback.feedback_answer(text, song=song, job=job),
        subject_type="song",
        subject_id=str(song.pk),
    )
    proposal = answer.data["proposal"]
    return {**answer_out(answer), "version": job.number, **proposal}


@router.post("/assistant/songs/{song_id}/remaster", response={201: JobOut, **RESPONSES})
def feedback_remaster_create(request: HttpRequest, song_id: UUID, payload: FeedbackIn):
    """Re-master the version with exactly the proposed changes (computed again here)."""
    song, job = _song_version(request, song_id, payload.version)
    try:
        new = feedback_remaster(
            user=request.owner.user, song=song, job=job, text=_clean(payload.text)
        )
    except AssistantError as exc:
        status = 403 if exc.code == "assistant_off" else 429 if exc.code == "rate_limited" else 400
        raise ApiError(status, exc.code, exc.message) from None
    return Status(201, job_out(new))


@router.post("/assistant/songs/{song_id}/mix", response={200: MixOut, **RESPONSES})
def mix_feedback(request: HttpRequest, song_id: UUID):
    """Feature 2: what to fix in the mix, from the analysis of the uploaded file."""
    song, job = _song_version(request, song_id, None)
    answer = assistant_ask(request, **mix.mix_ask(song=song, job=job))
    return {**answer_out(answer), "items": answer.data["items"]}


@router.post("/assistant/bookings/{booking_id}/prep", response={200: AnswerOut, **RESPONSES})
def session_prep(request: HttpRequest, booking_id: UUID):
    """Feature 2: the prep list of a booking you are a party to."""
    user = request.owner.user
    booking = booking_for_party(user, booking_id)
    if booking is None:
        raise ApiError(404, "not_found", NO_BOOKING)
    latest = selectors.latest_mastered_job(user) if booking.client_id == user.pk else None
    answer = assistant_ask(request, **mix.session_ask(booking=booking, latest_job=latest))
    return answer_out(answer)


@router.get(
    "/assistant/conversations",
    response={200: ConversationPage, **RESPONSES},
    url_name="assistant_conversations",
)
def conversation_list(request: HttpRequest, paging: Query[PageQuery]):
    """Your conversations, newest first, with every turn and its sources."""
    found = selectors.conversation_list(request.owner.user)
    items = list(found[paging.offset : paging.offset + paging.limit])
    return page_out(
        request, paging, url_name="api:assistant_conversations", count=found.count(), items=items
    )


@router.delete("/assistant/conversations/{conversation_id}", response={204: None, **RESPONSES})
def conversation_remove(request: HttpRequest, conversation_id: UUID):
    conversation = selectors.conversation_get(request.owner.user, conversation_id)
    if conversation is None:
        raise ApiError(404, "not_found", NO_CONVERSATION)
    conversation_delete(conversation=conversation)
    return Status(204, None)
