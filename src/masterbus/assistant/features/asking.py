"""Deliver a feature's answer: the user's assistant switch (P33: off, no feature runs on their
content) and the daily bound first (before any work or model call), then the
provider phrases the draft (P36: a model only for a user whose switch is on), then the question
and answer are recorded with their sources."""

from __future__ import annotations

from masterbus.assistant.answers import Answer
from masterbus.assistant.errors import AssistantError
from masterbus.assistant.providers import answer_phrase
from masterbus.assistant.services.conversations import turn_record, turns_today_check
from masterbus.profiles.selectors import assistant_allowed

SWITCHED_OFF = (
    "The assistant is switched off for your account: switch it on in Settings, Profile "
    "(privacy switches) to use it."
)


def assistant_check(user) -> None:
    """Refuse when the user's assistant switch is off (nothing is read or computed)."""
    if not assistant_allowed(user):
        raise AssistantError(SWITCHED_OFF, code="assistant_off")


def feature_ask(
    *,
    user,
    feature: str,
    question: str,
    task: str,
    compute,
    subject_type: str = "",
    subject_id: str = "",
) -> Answer:
    """``compute()`` builds the Answer from our data; numbers in its ``data`` are the facts."""
    assistant_check(user)
    turns_today_check(user=user)
    answer = answer_phrase(user=user, task=task, answer=compute())
    turn_record(
        user=user,
        feature=feature,
        subject_type=subject_type,
        subject_id=subject_id,
        question=question,
        answer=answer.text,
        sources=answer.sources,
        provider=answer.provider,
    )
    return answer
