"""Courses for the tests, built through the authoring services by a teacher: a published free
course of one module with three lessons (one embeds a drill, one has a two-question quiz)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from masterbus.accounts.models import User
from masterbus.courses.models import Course
from masterbus.courses.services import authoring
from tests.platform.fixtures import make_user
from tests.support.payments import payments_server  # noqa: F401  (the fixture)

LESSON_ONE = "## Gain staging\n\nKeep peaks **below -6 dBFS** before the master bus."
LESSON_DRILL = "Hear the band.\n\n::drill frequency 2\n\nThen come back."


def make_teacher(email: str = "teacher@example.com") -> User:
    user = make_user(email)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name="teacher"))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def build_course(teacher: User, *, title: str = "Mastering basics", price: int = 0) -> Course:
    course = authoring.course_create(actor=teacher, title=title, price=price)
    authoring.course_update(actor=teacher, course=course, published=True)
    module = authoring.module_create(actor=teacher, course=course, title="Foundations")
    authoring.lesson_create(actor=teacher, module=module, title="Levels", body=LESSON_ONE)
    authoring.lesson_create(actor=teacher, module=module, title="Hearing EQ", body=LESSON_DRILL)
    quizzed = authoring.lesson_create(
        actor=teacher, module=module, title="Loudness", body="LUFS measure loudness."
    )
    authoring.question_add(
        actor=teacher,
        lesson=quizzed,
        text="What does LUFS measure?",
        choices=[("Loudness", True), ("Peak level", False), ("Width", False)],
        multiple=False,
    )
    authoring.question_add(
        actor=teacher,
        lesson=quizzed,
        text="Which raise loudness?",
        choices=[("Limiting", True), ("Compression", True), ("Muting", False)],
        multiple=True,
    )
    return course


def right_answers(lesson) -> dict[int, set[int]]:
    return {q.pk: {c.pk for c in q.choices.all() if c.correct} for q in lesson.quiz.questions.all()}


@pytest.fixture
def teacher(db) -> User:
    return make_teacher()


@pytest.fixture
def course(teacher) -> Course:
    return build_course(teacher)


@pytest.fixture
def learner(db) -> User:
    user = make_user("learner@example.com")
    user.display_name = "Ada Learner"
    user.save(update_fields=["display_name"])
    return user
