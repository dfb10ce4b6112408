"""What a person can fix about an exercise (shown on the page, mapped to statuses by the API)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class TrainingError(DomainError):
    code = "bad_request"


class TooManyExercises(TrainingError):
    """A cost bound: questions being prepared at once, or started today."""

    code = "quota_exceeded"


class ExerciseState(TrainingError):
    """Answering a question that is not ready, or answered already."""

    code = "exercise_state"
