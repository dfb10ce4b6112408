"""The URL walk's course objects for one party (tests/support/urlwalk.py): a published free
course written by a teacher outside the walk, with an audio example and a quiz; the party is
enrolled and has completed it (so it has a certificate). Names are neutral (no party markers):
courses and certificates are public pages."""

from __future__ import annotations

import tempfile
from pathlib import Path

from masterbus.core import storage
from masterbus.courses.models import AudioExample, Lesson
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done, quiz_answer
from tests.courses.conftest import build_course, make_teacher, right_answers


def courses_objects(user) -> dict:
    teacher = make_teacher(f"walk-teacher-{user.pk}@example.com")
    course = build_course(teacher, title="Walk course")
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "example.wav"
        local.write_bytes(b"RIFF walk example")
        name = storage.store(f"courses/{course.pk.hex}/walk.wav", local)
    audio = AudioExample.objects.create(
        course=course, name="walk", stored_name=name, size=17, duration_s=1.0, format="wav"
    )
    enrolment, _ = enrolment_start(user=user, course=course)
    lessons = list(Lesson.objects.filter(module__course=course).order_by("position"))
    for lesson in lessons:
        lesson_mark_done(enrolment=enrolment, lesson=lesson)
    quizzed = lessons[-1]
    quiz_answer(enrolment=enrolment, quiz=quizzed.quiz, answers=right_answers(quizzed))
    return {
        "course": course,
        "course_lesson": quizzed,
        "course_audio": audio,
        "course_question": quizzed.quiz.questions.first(),
        "certificate": enrolment.certificate,
    }
