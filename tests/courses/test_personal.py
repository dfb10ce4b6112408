"""A learner's enrolments, progress, quiz answers and certificate are in the export and go with
the account (P30, P32); a paid enrolment's payment stays, anonymised by the payments app."""

from __future__ import annotations

import pytest

from masterbus.courses.models import (
    Certificate,
    Enrolment,
    Lesson,
    LessonProgress,
    QuizAttempt,
)
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done, quiz_answer
from masterbus.payments.models import Payment
from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import personal_rows
from tests.courses.conftest import build_course, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(course, learner):
    enrolment, _ = enrolment_start(user=learner, course=course)
    lessons = list(Lesson.objects.filter(module__course=course).order_by("position"))
    for lesson in lessons:
        lesson_mark_done(enrolment=enrolment, lesson=lesson)
    quiz_answer(enrolment=enrolment, quiz=lessons[-1].quiz, answers=right_answers(lessons[-1]))
    return enrolment


def test_the_export_holds_the_learners_course_data(completed, learner):
    rows = personal_rows(learner)
    assert completed in rows[Enrolment]
    assert len(rows[LessonProgress]) == 3 and len(rows[QuizAttempt]) == 1
    assert rows[Certificate][0].enrolment_id == completed.pk


def test_deleting_the_learner_removes_it_and_keeps_the_course(completed, learner, course):
    user_purge(user=learner)
    assert not Enrolment.objects.exists() and not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists() and not Certificate.objects.exists()
    course.refresh_from_db()
    assert Lesson.objects.filter(module__course=course).count() == 3


def test_a_paid_enrolments_payment_is_kept_without_the_learner(
    payments_server, client, teacher, learner
):
    paid = build_course(teacher, title="Paid", price=2500)
    _enrolment, checkout = enrolment_start(
        user=learner, course=paid, success_url="http://x/", cancel_url="http://x/"
    )
    payments_server.pay(checkout.url)
    payments_server.deliver_new(client)
    user_purge(user=learner)
    payment = Payment.objects.get(pk=checkout.payment.pk)
    assert payment.payer is None and payment.amount == 2500 and payment.purpose == "course"
    assert not Enrolment.objects.exists()
