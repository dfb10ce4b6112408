"""A learner's progress: lessons marked done, quiz answers graded here on the server (the page
never holds the answers), and completion: every lesson done and every quiz passed issues the
certificate (public by its unguessable code: the name, the course and the date only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masterbus.courses.errors import CourseLimit, EnrolmentStateError
from masterbus.courses.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Quiz,
    QuizAttempt,
)

NAMELESS = "Masterbus learner"


@dataclass(frozen=True)
class Graded:
    attempt: QuizAttempt
    correct: dict[int, bool]  # question id -> answered right (never which choice was right)


def _check_active(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise EnrolmentStateError("Enrol in the course first.")


def lesson_mark_done(*, enrolment: Enrolment, lesson: Lesson) -> bool:
    """Record the lesson done (once); True when this completed the course."""
    _check_active(enrolment)
    try:
        with transaction.atomic():
            LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
    except IntegrityError:
        pass  # marked before
    return completion_check(enrolment=enrolment)


def quiz_grade(quiz: Quiz, answers: dict[int, set[int]]) -> tuple[int, dict[int, bool]]:
    """Score in percent: a question counts when exactly its right choices were chosen."""
    correct: dict[int, bool] = {}
    questions = list(quiz.questions.prefetch_related("choices"))
    for question in questions:
        right = {c.pk for c in question.choices.all() if c.correct}
        correct[question.pk] = answers.get(question.pk, set()) == right
    score = round(100 * sum(correct.values()) / len(questions)) if questions else 100
    return score, correct


def quiz_answer(*, enrolment: Enrolment, quiz: Quiz, answers: dict[int, set[int]]) -> Graded:
    """Grade and keep an attempt (at most COURSES_QUIZ_ATTEMPTS_PER_HOUR per learner); a
    passed quiz marks its lesson done too."""
    _check_active(enrolment)
    since = timezone.now() - timedelta(hours=1)
    recent = QuizAttempt.objects.filter(enrolment__user=enrolment.user, created_at__gte=since)
    if recent.count() >= settings.COURSES_QUIZ_ATTEMPTS_PER_HOUR:
        raise CourseLimit("Too many quiz answers in the last hour; try again later.")
    known = {
        q.pk: {c.pk for c in q.choices.all()} for q in quiz.questions.prefetch_related("choices")
    }
    kept = {qid: chosen & known[qid] for qid, chosen in answers.items() if qid in known}
    score, correct = quiz_grade(quiz, kept)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        answers={str(qid): sorted(chosen) for qid, chosen in kept.items()},
        score_percent=score,
        passed=score >= quiz.pass_percent,
    )
    if attempt.passed:
        lesson_mark_done(enrolment=enrolment, lesson=quiz.lesson)
    return Graded(attempt, correct)


def completion_check(*, enrolment: Enrolment) -> bool:
    """Complete the enrolment and issue its certificate once every lesson is done and every
    quiz passed; True only the first time."""
    if enrolment.completed_at is not None:
        return False
    lessons = Lesson.objects.filter(module__course=enrolment.course_id)
    done = LessonProgress.objects.filter(enrolment=enrolment, lesson__in=lessons).count()
    if not lessons.exists() or done < lessons.count():
        return False
    quizzes = Quiz.objects.filter(lesson__in=lessons)
    passed = (
        QuizAttempt.objects.filter(enrolment=enrolment, passed=True, quiz__in=quizzes)
        .values("quiz")
        .distinct()
        .count()
    )
    if passed < quizzes.count():
        return False
    now = timezone.now()
    with transaction.atomic():
        moved = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
            completed_at=now
        )
        if not moved:
            return False
        enrolment.completed_at = now
        Certificate.objects.create(
            enrolment=enrolment,
            name=(enrolment.user.display_name or NAMELESS)[:150],
            course_title=enrolment.course.title,
        )
    return True
