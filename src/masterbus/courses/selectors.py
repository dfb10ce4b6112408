"""Course reads: the public catalogue, and a learner's own enrolments, lessons and progress
(always scoped to the user: another learner's lesson, attempt or audio reads as unknown)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from masterbus.courses.models import (
    AudioExample,
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
)

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
CODE = re.compile(r"^[-a-zA-Z0-9_]{10,32}$")


def courses_published() -> QuerySet[Course]:
    return Course.objects.filter(published=True)


def course_published(slug: str) -> Course | None:
    """By slug; odd text (a NUL, which PostgreSQL refuses to compare) is simply unknown."""
    return courses_published().filter(slug=slug).first() if SLUG.match(slug) else None


def enrolment_for(user, course: Course) -> Enrolment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def lesson_for_learner(user, lesson_id) -> tuple[Lesson, Enrolment] | None:
    """A lesson of a course the user is actively enrolled in, with the enrolment."""
    lesson = (
        Lesson.objects.select_related("module__course")
        .filter(
            pk=lesson_id,
            module__course__enrolments__user=user,
            module__course__enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .first()
    )
    if lesson is None:
        return None
    return lesson, Enrolment.objects.get(user=user, course=lesson.module.course)


def audio_for_learner(user, audio_id) -> AudioExample | None:
    return AudioExample.objects.filter(
        pk=audio_id,
        course__enrolments__user=user,
        course__enrolments__status=EnrolmentStatus.ACTIVE,
    ).first()


@dataclass
class Outline:
    """A course's modules and lessons, with what the learner has done."""

    modules: list[tuple[Module, list[Lesson]]]
    done: set = field(default_factory=set)
    passed: set = field(default_factory=set)  # lesson ids whose quiz is passed
    lessons: int = 0
    quizzes: int = 0

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def next_lesson(self) -> Lesson | None:
        """The first lesson not done yet."""
        pending = (lesson for _m, items in self.modules for lesson in items)
        return next((lesson for lesson in pending if lesson.pk not in self.done), None)

    @property
    def percent(self) -> int:
        steps = self.lessons + self.quizzes
        return round(100 * (len(self.done) + len(self.passed)) / steps) if steps else 0


def course_outline(course: Course, enrolment: Enrolment | None = None) -> Outline:
    modules = list(course.modules.prefetch_related("lessons__quiz"))
    pairs = [(m, list(m.lessons.all())) for m in modules]
    lessons = [lesson for _m, items in pairs for lesson in items]
    outline = Outline(
        pairs,
        lessons=len(lessons),
        quizzes=sum(1 for lesson in lessons if hasattr(lesson, "quiz")),
    )
    if enrolment is not None:
        outline.done = set(
            LessonProgress.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
        )
        outline.passed = set(
            QuizAttempt.objects.filter(enrolment=enrolment, passed=True).values_list(
                "quiz__lesson_id", flat=True
            )
        )
    return outline


def enrolments_of(user) -> list[tuple[Enrolment, Outline]]:
    found = Enrolment.objects.filter(user=user).select_related("course", "certificate")
    return [(e, course_outline(e.course, e)) for e in found.order_by("-created_at")]


def best_attempt(enrolment: Enrolment, quiz) -> QuizAttempt | None:
    return (
        QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz)
        .order_by("-score_percent", "-created_at")
        .first()
    )


def certificate_by_code(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first() if CODE.match(code) else None


def certificate_of(enrolment: Enrolment) -> Certificate | None:
    return Certificate.objects.filter(enrolment=enrolment).first()


def drill_best(user, kind: str, since) -> float | None:
    """The learner's best score of a drill kind since enrolling, while the training app offers
    it (``training.selectors.drill_best``); None without it."""
    try:
        from masterbus.training.selectors import drill_best as best
    except ImportError:
        return None
    return best(user=user, kind=kind, since=since)
