"""Alice's assistant conversation for the URL authorization walk (its text carries her marker,
so a page that leaks it to anyone else is caught)."""

from __future__ import annotations

from masterbus.assistant.models import Feature
from masterbus.assistant.services.conversations import turn_record


def assistant_objects(user) -> dict:
    turn = turn_record(
        user=user,
        feature=Feature.FEEDBACK,
        subject_type="song",
        subject_id="walk",
        question="alice-5d2a: is it muddy?",
        answer="Cut 2.5 dB around 250 Hz.",
        sources=[{"title": "spectrum", "kind": "measurement"}],
        provider="offline",
    )
    return {"conversation": turn.conversation}
