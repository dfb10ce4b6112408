"""What a person can fix about an exercise (shown on the page, mapped to statuses by the API)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class TrainingError(DomainError):
    code = "bad_request"


class TooManyExercises(TrainingError):
    """A cost bound: questions being prepared at once, or started today."""

    code = "quota_exceeded"


class NoSuchSong(TrainingError):
    """Material "song" names none of the user's songs."""

    code = "not_found"


class AnswerInvalid(TrainingError):
    """An answer that does not fit the question (not one of its choices, or no frequency)."""

    code = "invalid_answer"


class ExerciseState(TrainingError):
    """Answering a question that is not ready, or answered already."""

    code = "exercise_state"
