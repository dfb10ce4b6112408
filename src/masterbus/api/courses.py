"""Courses (public catalogue) and a learner's enrolments, lessons, progress and quiz answers
(token), over the courses services and selectors.

A lesson, its progress and its quiz are reachable only for a course the token's user is
enrolled in; anyone else's (or an unknown) id is answered 404. Quiz answers are graded on the
server: a lesson's questions come without their right choices, and a graded answer says which
questions were right, never which choice was.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError
from masterbus.courses import selectors
from masterbus.courses.markdown import lesson_html
from masterbus.courses.models import Course, Enrolment
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done, quiz_answer

router = Router(tags=["courses"])
NO_COURSE = "There is no such course."
NO_LESSON = "There is no such lesson (or you are not enrolled in its course)."
ID = Field(..., ge=1, le=2**31 - 1)


class CourseLessonRef(Schema):
    id: UUID
    title: str
    has_quiz: bool


class CourseModuleOut(Schema):
    title: str
    lessons: list[CourseLessonRef]


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    price: int = Field(description="minor units; 0 is free")
    currency: str
    url: str


class CourseDetailOut(CourseOut):
    modules: list[CourseModuleOut]


class CourseEnrolIn(Schema):
    course: str = Field(..., min_length=1, max_length=80, description="the course's slug")


class CourseProgressOut(Schema):
    course: str = Field(description="the course's slug")
    status: str = Field(description='"awaiting_payment", "active" or "refunded"')
    lessons: int
    lessons_done: int
    quizzes: int
    quizzes_passed: int
    percent: int
    completed_at: str | None
    certificate_url: str | None


class CourseEnrolOut(CourseProgressOut):
    checkout_url: str | None = Field(description="a paid course: pay here (hosted checkout)")


class CourseChoiceOut(Schema):
    id: int
    text: str


class CourseQuestionOut(Schema):
    id: int
    text: str
    multiple: bool
    choices: list[CourseChoiceOut]


class CourseLessonOut(Schema):
    id: UUID
    title: str
    course: str
    html: str = Field(description="the lesson, rendered and sanitised")
    done: bool
    quiz_pass_percent: int | None
    questions: list[CourseQuestionOut]


class CourseAnswerIn(Schema):
    question: int = ID
    choices: list[int] = Field(..., max_length=20)


class CourseQuizIn(Schema):
    answers: list[CourseAnswerIn] = Field([], max_length=50, description="unanswered: none chosen")


class CourseGradedOut(Schema):
    score_percent: int
    passed: bool
    correct: dict[str, bool] = Field(description="question id -> answered right")
    course_completed: bool


def _course_out(request: HttpRequest, course: Course) -> dict:
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "price": course.price,
        "currency": course.currency,
        "url": request.build_absolute_uri(reverse("courses:course", args=[course.slug])),
    }


def _progress_out(request: HttpRequest, enrolment: Enrolment) -> dict:
    outline = selectors.course_outline(enrolment.course, enrolment)
    certificate = selectors.certificate_of(enrolment)
    url = certificate and reverse("courses:certificate", args=[certificate.code])
    return {
        "course": enrolment.course.slug,
        "status": enrolment.status,
        "lessons": outline.lessons,
        "lessons_done": outline.done_count,
        "quizzes": outline.quizzes,
        "quizzes_passed": len(outline.passed),
        "percent": outline.percent,
        "completed_at": enrolment.completed_at and enrolment.completed_at.isoformat(),
        "certificate_url": url and request.build_absolute_uri(url),
    }


def _lesson(request: HttpRequest, lesson_id: UUID):
    found = selectors.lesson_for_learner(request.owner.user, lesson_id)
    if found is None:
        raise ApiError(404, "not_found", NO_LESSON)
    return found


@router.get("/courses", response={200: list[CourseOut], **ERRORS}, auth=None, url_name="courses")
def course_list(request: HttpRequest):
    """Published courses (public), at most 200."""
    return [_course_out(request, c) for c in selectors.courses_published()[:200]]


@router.get(
    "/courses/{course_slug}", response={200: CourseDetailOut, **ERRORS}, auth=None,
    url_name="course",
)  # fmt: skip
def course_get(request: HttpRequest, course_slug: str):
    """A published course with its modules and lessons (titles only; the lessons need enrolling)."""
    found = selectors.course_published(course_slug)
    if found is None:
        raise ApiError(404, "not_found", NO_COURSE)
    outline = selectors.course_outline(found)
    modules = [
        {
            "title": module.title,
            "lessons": [
                {"id": lesson.pk, "title": lesson.title, "has_quiz": hasattr(lesson, "quiz")}
                for lesson in lessons
            ],
        }
        for module, lessons in outline.modules
    ]
    return {**_course_out(request, found), "modules": modules}


@router.post("/enrolments", response={201: CourseEnrolOut, **ERRORS})
def enrol(request: HttpRequest, payload: CourseEnrolIn):
    """Enrol in a published course: a free one is active at once; a paid one answers with
    ``checkout_url`` (status ``awaiting_payment`` until the payment is confirmed)."""
    found = selectors.course_published(payload.course)
    if found is None:
        raise ApiError(404, "not_found", NO_COURSE)
    page = request.build_absolute_uri(reverse("courses:course", args=[found.slug]))
    enrolment, checkout = enrolment_start(
        user=request.owner.user, course=found, success_url=page, cancel_url=page
    )
    out = _progress_out(request, enrolment)
    return Status(201, {**out, "checkout_url": checkout.url if checkout else None})


@router.get("/enrolments", response={200: list[CourseProgressOut], **ERRORS}, url_name="enrolments")
def progress_list(request: HttpRequest):
    """My courses and my progress in each."""
    found = Enrolment.objects.filter(user=request.owner.user).select_related("course")
    return [_progress_out(request, e) for e in found.order_by("-created_at")[:200]]


@router.get("/lessons/{lesson_id}", response={200: CourseLessonOut, **ERRORS}, url_name="lesson")
def lesson_get(request: HttpRequest, lesson_id: UUID):
    """A lesson rendered (HTML, sanitised), and its quiz's questions without their answers."""
    lesson, enrolment = _lesson(request, lesson_id)
    examples = {a.name: a.pk for a in lesson.module.course.audio_examples.all()}
    html = lesson_html(
        lesson.body,
        audio_url=lambda name: (
            request.build_absolute_uri(reverse("courses:audio", args=[examples[name]]))
            if name in examples
            else None
        ),
        next_url=reverse("courses:lesson", args=[lesson.pk]),
    )
    quiz = getattr(lesson, "quiz", None)
    questions = [
        {
            "id": q.pk,
            "text": q.text,
            "multiple": q.multiple,
            "choices": [{"id": c.pk, "text": c.text} for c in q.choices.all()],
        }
        for q in (quiz.questions.prefetch_related("choices") if quiz else [])
    ]
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "course": lesson.module.course.slug,
        "html": str(html),
        "done": lesson.pk in selectors.course_outline(lesson.module.course, enrolment).done,
        "quiz_pass_percent": quiz.pass_percent if quiz else None,
        "questions": questions,
    }


@router.post(
    "/lessons/{lesson_id}/progress", response={200: CourseProgressOut, **ERRORS},
    url_name="lesson_progress",
)  # fmt: skip
def lesson_done(request: HttpRequest, lesson_id: UUID):
    """Mark the lesson done (again: no change); answers the course progress."""
    lesson, enrolment = _lesson(request, lesson_id)
    lesson_mark_done(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return _progress_out(request, enrolment)


@router.post(
    "/lessons/{lesson_id}/quiz", response={200: CourseGradedOut, **ERRORS},
    url_name="lesson_quiz",
)  # fmt: skip
def quiz_answer_api(request: HttpRequest, lesson_id: UUID, payload: CourseQuizIn):
    """Answer the lesson's quiz: a question counts when exactly its right choices are chosen;
    429 ``rate_limited`` past the answers allowed per hour."""
    lesson, enrolment = _lesson(request, lesson_id)
    quiz = getattr(lesson, "quiz", None)
    if quiz is None:
        raise ApiError(404, "not_found", "This lesson has no quiz.")
    answers = {a.question: {c for c in a.choices if 0 < c < 2**31} for a in payload.answers}
    graded = quiz_answer(enrolment=enrolment, quiz=quiz, answers=answers)
    enrolment.refresh_from_db()
    return {
        "score_percent": graded.attempt.score_percent,
        "passed": graded.attempt.passed,
        "correct": {str(k): v for k, v in graded.correct.items()},
        "course_completed": enrolment.completed_at is not None,
    }
