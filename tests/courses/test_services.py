"""Enrolment (free; paid through the hosted test checkout and its webhook), progress, quizzes
graded on the server, completion with the certificate, and the audit of authoring (P20)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from masterbus.courses.errors import CourseLimit, EnrolmentStateError
from masterbus.courses.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    QuizAttempt,
)
from masterbus.courses.services.enrolment import enrolment_start
from masterbus.courses.services.progress import lesson_mark_done, quiz_answer
from masterbus.payments.models import Payment, PaymentStatus
from masterbus.payments.services import payment_refund
from masterbus.rights.models import AuditEvent
from tests.courses.conftest import build_course, right_answers

pytestmark = pytest.mark.django_db
PAGE = "http://testserver/courses/x/"


def lessons(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(module__course=course).order_by("position"))


def test_a_free_course_enrols_at_once_and_only_once(course, learner):
    enrolment, checkout = enrolment_start(user=learner, course=course)
    assert checkout is None and enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.enrolled_at is not None
    with pytest.raises(EnrolmentStateError):
        enrolment_start(user=learner, course=course)


def test_a_draft_course_takes_no_enrolment(teacher, learner):
    draft = build_course(teacher, title="Draft")
    draft.published = False
    draft.save()
    with pytest.raises(EnrolmentStateError):
        enrolment_start(user=learner, course=draft)


def test_completion_needs_every_lesson_and_every_quiz_then_issues_one_certificate(course, learner):
    enrolment, _ = enrolment_start(user=learner, course=course)
    first, drill, quizzed = lessons(course)
    assert not lesson_mark_done(enrolment=enrolment, lesson=first)
    assert not lesson_mark_done(enrolment=enrolment, lesson=first)  # twice: one row
    assert not lesson_mark_done(enrolment=enrolment, lesson=drill)
    assert not lesson_mark_done(enrolment=enrolment, lesson=quizzed)  # quiz not passed yet
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 3
    wrong = {q: set() for q in right_answers(quizzed)}
    graded = quiz_answer(enrolment=enrolment, quiz=quizzed.quiz, answers=wrong)
    assert (graded.attempt.score_percent, graded.attempt.passed) == (0, False)
    assert not Certificate.objects.exists()
    graded = quiz_answer(enrolment=enrolment, quiz=quizzed.quiz, answers=right_answers(quizzed))
    assert (graded.attempt.score_percent, graded.attempt.passed) == (100, True)
    enrolment.refresh_from_db()
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert enrolment.completed_at is not None
    assert (certificate.name, certificate.course_title) == ("Ada Learner", "Mastering basics")
    assert len(certificate.code) >= 24  # 144 random bits
    assert not lesson_mark_done(enrolment=enrolment, lesson=first)  # no second certificate
    assert Certificate.objects.count() == 1


def test_a_quiz_counts_a_question_only_with_exactly_its_right_choices(course, learner):
    enrolment, _ = enrolment_start(user=learner, course=course)
    quizzed = lessons(course)[2]
    single, multiple = quizzed.quiz.questions.all()
    right = right_answers(quizzed)
    half = {single.pk: right[single.pk], multiple.pk: set(list(right[multiple.pk])[:1])}
    graded = quiz_answer(enrolment=enrolment, quiz=quizzed.quiz, answers=half)
    assert graded.attempt.score_percent == 50 and not graded.attempt.passed
    assert graded.correct == {single.pk: True, multiple.pk: False}
    foreign = {single.pk: right[single.pk] | {999_999}, multiple.pk: right[multiple.pk]}
    graded = quiz_answer(enrolment=enrolment, quiz=quizzed.quiz, answers=foreign)
    assert graded.attempt.passed  # an unknown choice id is dropped, never stored
    assert 999_999 not in graded.attempt.answers[str(single.pk)]


def test_quiz_answers_are_bounded_per_hour(course, learner, settings):
    settings.COURSES_QUIZ_ATTEMPTS_PER_HOUR = 2
    enrolment, _ = enrolment_start(user=learner, course=course)
    quiz = lessons(course)[2].quiz
    for _ in range(2):
        quiz_answer(enrolment=enrolment, quiz=quiz, answers={})
    with pytest.raises(CourseLimit):
        quiz_answer(enrolment=enrolment, quiz=quiz, answers={})
    assert QuizAttempt.objects.count() == 2


def test_authoring_writes_are_audited(teacher, course):
    kinds = {
        ContentType.objects.get(pk=e.content_type_id).model
        for e in AuditEvent.objects.filter(actor=teacher)
    }
    assert {"course", "module", "lesson", "quiz", "question"} <= kinds
    change = AuditEvent.objects.get(actor=teacher, action="change")
    assert change.changed_fields == ["published"]


def test_a_paid_course_opens_only_through_the_payment_webhook(
    payments_server, client, teacher, learner
):
    paid = build_course(teacher, title="Advanced limiting", price=4900)
    enrolment, checkout = enrolment_start(
        user=learner, course=paid, success_url=PAGE, cancel_url=PAGE
    )
    assert enrolment.status == EnrolmentStatus.AWAITING_PAYMENT
    payment = checkout.payment
    assert (payment.purpose, payment.amount, payment.payee) == ("course", 4900, None)
    with pytest.raises(EnrolmentStateError):
        lesson_mark_done(enrolment=enrolment, lesson=lessons(paid)[0])
    assert payments_server.pay(checkout.url).status_code == 303
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.AWAITING_PAYMENT  # the redirect proves nothing
    for answer in payments_server.deliver_new(client):
        assert answer.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID
    payment_refund(payment=Payment.objects.get(pk=payment.pk), reason="test")
    for answer in payments_server.deliver_new(client):
        assert answer.status_code == 200
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.REFUNDED
    # Buying again after the refund is a new purchase of the same enrolment.
    _same, again = enrolment_start(user=learner, course=paid, success_url=PAGE, cancel_url=PAGE)
    assert again.payment.purpose_id == f"{enrolment.pk}.1"
    payments_server.pay(again.url)
    payments_server.deliver_new(client)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ACTIVE
