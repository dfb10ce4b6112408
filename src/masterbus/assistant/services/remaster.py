"""The one-click re-master: the proposal is computed again from the words and the version (never
taken from the browser), then mastering's own re-master service queues it with its quotas."""

from __future__ import annotations

from masterbus.accounts.owner import Owner
from masterbus.assistant.errors import AssistantError
from masterbus.assistant.features.asking import assistant_check
from masterbus.assistant.features.feedback import proposal
from masterbus.assistant.models import Feature
from masterbus.assistant.services.conversations import turn_record, turns_today_check
from masterbus.mastering.models import Job, Song
from masterbus.mastering.services import songs


def feedback_remaster(*, user, song: Song, job: Job, text: str) -> Job:
    """Queue a new version of ``song`` with the changes ``text`` asks for on ``job``."""
    assistant_check(user)
    turns_today_check(user=user)
    if not job.is_playable or not job.report:
        raise AssistantError("This version is not finished yet: wait for it, then ask again.")
    data = proposal(text, job_settings=job.settings or {}, report=job.report)
    if data["settings"] is None:
        raise AssistantError(
            "There is no change to make from these words (or this server's engine cannot make "
            "it yet); the proposal above says why."
        )
    new = songs.job_create(owner=Owner(user, None), song=song, master_settings=data["settings"])
    labels = "; ".join(change["label"] for change in data["changes"])
    turn_record(
        user=user,
        feature=Feature.FEEDBACK,
        subject_type="song",
        subject_id=str(song.pk),
        question=f"Re-master version {job.number} with: {text}",
        answer=f"Version {new.number} is being mastered from version {job.number} with: {labels}.",
        sources=[{"title": f"{song.title}, version {job.number}", "kind": "measurement"}],
        provider="offline",
    )
    return new
