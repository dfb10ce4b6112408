"""The "song" attachment: a mastered version from the poster's own library, heard through the
post (``community:post_audio`` serves the master's preview only while the post may be seen).
Also wires ear-training results (kind "training-result") when the training app provides its
``result_card``."""

from __future__ import annotations

import importlib
import uuid

from masterbus.accounts.owner import Owner
from masterbus.community import attachments
from masterbus.community.attachments import Attachment
from masterbus.mastering import selectors as mastering
from masterbus.mastering.models import Job, Song

SONG = "song"
TRAINING_RESULT = "training-result"


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _song_attachment(job: Job) -> Attachment:
    loudness = (job.report or {}).get("output", {}).get("integrated_lufs")
    summary = f"Mastered version {job.number}"
    if isinstance(loudness, int | float):
        summary += f", {loudness:.1f} LUFS"
    return Attachment(
        kind=SONG, object_id=str(job.pk), title=job.song.title, summary=summary, url=""
    )


def song_resolver(object_id: str, *, owner=None) -> Attachment | None:
    """With ``owner``: the newest playable version of that user's song ``object_id`` (a song id,
    or one version's job id); without: the version a post shared (its job id)."""
    if owner is not None:
        song = mastering.song_get_for_owner(Owner(user=owner, guest_key=None), object_id)
        if song is not None:
            jobs = [job for job in song.jobs.order_by("-number") if job.is_playable]
            job = jobs[0] if jobs else None
        else:
            job = mastering.job_get_for_owner(Owner(user=owner, guest_key=None), object_id)
        if job is None or not job.is_playable or not job.preview:
            return None
        return _song_attachment(job)
    job = Job.objects.select_related("song").filter(pk=_uuid(object_id)).first()
    return _song_attachment(job) if job is not None and job.preview else None


def shared_preview(post) -> str | None:
    """The storage name of the master preview a post shares, while the poster still owns it."""
    if post.attachment_kind != SONG:
        return None
    job = (
        Job.objects.filter(pk=_uuid(post.attachment_id), song__user_id=post.author_id)
        .exclude(preview="")
        .first()
    )
    return job.preview if job is not None else None


def songs_to_share(user) -> list[Song]:
    """The user's songs that have a playable version (the post form's choices)."""
    songs = mastering.song_list_for_owner(Owner(user=user, guest_key=None))
    return [song for song in songs if any(job.is_playable for job in song.jobs.all())][:100]


def _training_resolver(result_card):
    def resolve(object_id: str, *, owner=None) -> Attachment | None:
        card = result_card(result_id=object_id, owner=owner)
        if not card:
            return None
        return Attachment(
            kind=TRAINING_RESULT,
            object_id=object_id,
            title=str(card.get("title", ""))[:200],
            summary=str(card.get("summary", ""))[:300],
            url=str(card.get("url", "")),
        )

    return resolve


def register_kinds() -> None:
    """Called from CommunityConfig.ready(): songs always; training results when training has
    its ``result_card`` (the community works without the training app)."""
    attachments.register(SONG, song_resolver)
    try:
        training = importlib.import_module("masterbus.training.selectors")
    except ImportError:
        return
    result_card = getattr(training, "result_card", None)
    if result_card is not None:
        attachments.register(TRAINING_RESULT, _training_resolver(result_card))
