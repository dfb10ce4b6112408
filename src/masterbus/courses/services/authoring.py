"""Authoring by staff with the teacher role: every write is recorded in the audit log (P20).

The views check the permission; these functions record who did what with ``audit_record``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from masterbus.core import storage
from masterbus.courses.errors import CourseInvalid
from masterbus.courses.models import AudioExample, Choice, Course, Lesson, Module, Question, Quiz
from masterbus.engine import EngineError
from masterbus.engine.io import probe
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction

MAX_CHOICES = 8
MAX_QUESTIONS = 30
MAX_MODULES = 50
MAX_LESSONS_PER_MODULE = 50
RESERVED_SLUGS = {"mine", "enrol", "lessons", "audio", "certificates", "manage"}


def _next_position(rows) -> int:
    return (rows.aggregate(n=Max("position"))["n"] or 0) + 1


def _check_body(body: str) -> None:
    if len(body) > settings.COURSES_LESSON_MAX_CHARS:
        raise CourseInvalid(
            f"A lesson is at most {settings.COURSES_LESSON_MAX_CHARS} characters of Markdown."
        )
    if "\x00" in body:
        raise CourseInvalid("The text holds a NUL character.")


def course_create(*, actor, title: str, summary: str = "", price: int = 0, currency: str = "eur"):
    slug = slugify(title)[:70] or "course"
    if slug in RESERVED_SLUGS:  # the paths beside a course's page
        slug = f"{slug}-course"
    base, number = slug, 2
    while Course.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    with transaction.atomic():
        course = Course.objects.create(
            slug=slug, title=title, summary=summary, price=price, currency=currency.lower()
        )
        audit_record(actor=actor, action=AuditAction.ADD, objects=[course])
    return course


def course_update(*, actor, course: Course, **fields) -> Course:
    """Change the course's fields (title, summary, price, currency, published)."""
    changed = [name for name, value in fields.items() if getattr(course, name) != value]
    if not changed:
        return course
    for name in changed:
        setattr(course, name, fields[name])
    with transaction.atomic():
        course.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor, action=AuditAction.CHANGE, objects=[course], changed_fields=changed
        )
    return course


def module_create(*, actor, course: Course, title: str) -> Module:
    if course.modules.count() >= MAX_MODULES:
        raise CourseInvalid(f"A course has at most {MAX_MODULES} modules.")
    with transaction.atomic():
        module = Module.objects.create(
            course=course, title=title, position=_next_position(course.modules)
        )
        audit_record(actor=actor, action=AuditAction.ADD, objects=[module])
    return module


def lesson_create(*, actor, module: Module, title: str, body: str = "") -> Lesson:
    _check_body(body)
    if module.lessons.count() >= MAX_LESSONS_PER_MODULE:
        raise CourseInvalid(f"A module has at most {MAX_LESSONS_PER_MODULE} lessons.")
    with transaction.atomic():
        lesson = Lesson.objects.create(
            module=module, title=title, body=body, position=_next_position(module.lessons)
        )
        audit_record(actor=actor, action=AuditAction.ADD, objects=[lesson])
    return lesson


def lesson_update(*, actor, lesson: Lesson, title: str, body: str) -> Lesson:
    _check_body(body)
    changed = [n for n, v in (("title", title), ("body", body)) if getattr(lesson, n) != v]
    if changed:
        lesson.title, lesson.body = title, body
        with transaction.atomic():
            lesson.save(update_fields=changed)
            audit_record(
                actor=actor, action=AuditAction.CHANGE, objects=[lesson], changed_fields=changed
            )
    return lesson


def question_add(
    *, actor, lesson: Lesson, text: str, choices: list[tuple[str, bool]], multiple: bool
) -> Question:
    """A question of the lesson's quiz (created with the first question)."""
    choices = [(t.strip(), ok) for t, ok in choices if t.strip()]
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise CourseInvalid(f"A question has 2 to {MAX_CHOICES} choices.")
    right = sum(ok for _t, ok in choices)
    if right == 0 or (right > 1 and not multiple):
        raise CourseInvalid(
            "Mark one right choice (or several, for a question with several right answers)."
        )
    with transaction.atomic():
        quiz, made = Quiz.objects.get_or_create(lesson=lesson)
        if quiz.questions.count() >= MAX_QUESTIONS:
            raise CourseInvalid(f"A quiz has at most {MAX_QUESTIONS} questions.")
        question = Question.objects.create(
            quiz=quiz, text=text, multiple=multiple, position=_next_position(quiz.questions)
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=t, correct=ok, position=i)
            for i, (t, ok) in enumerate(choices)
        )
        audit_record(
            actor=actor, action=AuditAction.ADD, objects=[quiz, question] if made else [question]
        )
    return question


def question_delete(*, actor, question: Question) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, objects=[question])
        question.delete()


def audio_add(*, actor, course: Course, name: str, uploaded) -> AudioExample:
    """Keep an uploaded file as one of the course's audio examples, once its content reads as
    audio within the bounds (size, length): the same header check as every upload (P8)."""
    name = slugify(name)[:60]
    if not name:
        raise CourseInvalid("Give the example a name (letters, digits, dashes).")
    if course.audio_examples.filter(name=name).exists():
        raise CourseInvalid(f"The course already has an example named {name}.")
    if course.audio_examples.count() >= settings.COURSES_AUDIO_PER_COURSE:
        raise CourseInvalid(f"A course has at most {settings.COURSES_AUDIO_PER_COURSE} examples.")
    if uploaded.size > settings.COURSES_AUDIO_MAX_BYTES:
        most = settings.COURSES_AUDIO_MAX_BYTES / 1e6
        raise CourseInvalid(f"An audio example is at most {most:g} MB.")
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "example"
        with local.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            info = probe(local, max_seconds=settings.COURSES_AUDIO_MAX_SECONDS)
        except EngineError:
            raise CourseInvalid(
                "This file is not audio we can play (WAV, FLAC, AIFF, OGG or MP3), or it is "
                f"longer than {settings.COURSES_AUDIO_MAX_SECONDS // 60} minutes."
            ) from None
        fmt = info.format.lower() if info.format.isalnum() else "bin"
        stored = storage.store(f"courses/{course.pk.hex}/{name}.{fmt}", local)
    with transaction.atomic():
        example = AudioExample.objects.create(
            course=course,
            name=name,
            stored_name=stored,
            size=uploaded.size,
            duration_s=info.duration_s,
            format=fmt,
        )
        audit_record(actor=actor, action=AuditAction.ADD, objects=[example])
    return example
