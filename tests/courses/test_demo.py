"""The demo loader: a teacher, a free course of three lessons (a drill, a quiz, an audio
example) with the listener enrolled, and a paid course; idempotent."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from masterbus.courses import demo
from masterbus.courses.models import AudioExample, Course, Enrolment, Lesson, Quiz

pytestmark = pytest.mark.django_db


def test_the_demo_courses_load_once():
    assert "masterbus.courses.demo.load" in settings.DEMO_LOADERS
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    free, paid = Course.objects.order_by("price")
    assert (free.title, free.price, free.published) == ("Mastering basics", 0, True)
    assert paid.price > 0 and paid.published
    lessons = Lesson.objects.filter(module__course=free)
    assert lessons.count() == 3
    assert lessons.filter(body__contains="::drill frequency").count() == 1
    assert Quiz.objects.filter(lesson__in=lessons).count() == 1
    assert AudioExample.objects.get(course=free).duration_s == pytest.approx(2.0)
    enrolment = Enrolment.objects.get()
    assert enrolment.user.email.startswith("listener@") and enrolment.progress.count() == 1
    assert "Mastering basics" in out.getvalue()
