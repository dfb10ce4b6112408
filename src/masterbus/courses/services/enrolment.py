"""Enrolment: a free course at once, a paid one through the payments app (purpose "course",
sold by the platform: no payee, the whole amount is the platform's). The enrolment becomes
active only by the provider's webhook (``CoursePayments.on_paid``), never by the redirect."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from masterbus.courses.errors import CourseLimit, EnrolmentStateError
from masterbus.courses.models import Course, Enrolment, EnrolmentStatus
from masterbus.payments.models import CHARGED, Payment
from masterbus.payments.services import Checkout, Line, checkout_start, payment_refund

logger = logging.getLogger(__name__)

PURPOSE = "course"


def _rate_check(user) -> None:
    since = timezone.now() - timedelta(hours=1)
    if Enrolment.objects.filter(user=user, created_at__gte=since).count() >= (
        settings.COURSES_ENROLMENTS_PER_HOUR
    ):
        raise CourseLimit("Too many enrolments in the last hour; try again later.")


def enrolment_start(
    *, user, course: Course, success_url: str = "", cancel_url: str = ""
) -> tuple[Enrolment, Checkout | None]:
    """Enrol the user: a free course is active at once; a paid one waits for its payment and
    the hosted checkout is returned (again for an enrolment still awaiting payment)."""
    if not course.published:
        raise EnrolmentStateError("This course is not open for enrolment.")
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.ACTIVE:
        raise EnrolmentStateError("You are already enrolled in this course.")
    if enrolment is None:
        _rate_check(user)
        try:
            enrolment = Enrolment.objects.create(user=user, course=course)
        except IntegrityError:  # a second request at the same moment
            raise EnrolmentStateError("You are already enrolled in this course.") from None
    if course.is_free:
        enrolment_activate(enrolment=enrolment)
        enrolment.refresh_from_db()
        return enrolment, None
    checkout = checkout_start(
        payer=user,
        purpose=PURPOSE,
        purpose_id=_purchase_id(enrolment),
        lines=[Line(f"Course: {course.title}"[:200], course.price)],
        currency=course.currency,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    return enrolment, checkout


def _purchase_id(enrolment: Enrolment) -> str:
    """``<enrolment id>.<n>``: n counts the enrolment's charged payments, so buying again after a
    refund is a new purchase, while checkouts started meanwhile share the open one's id."""
    charged = Payment.objects.filter(
        purpose=PURPOSE, purpose_id__startswith=f"{enrolment.pk}.", status__in=CHARGED
    )
    return f"{enrolment.pk}.{charged.count()}"


def _enrolment_of(payment) -> Enrolment | None:
    enrolment_id = payment.purpose_id.partition(".")[0]
    try:
        return Enrolment.objects.select_related("course").filter(pk=enrolment_id).first()
    except ValidationError:  # not a UUID: not ours
        return None


def enrolment_activate(*, enrolment: Enrolment) -> bool:
    """Awaiting payment (a new enrolment, or one bought again after a refund) -> active; False
    when it was not in a state to move (the conditional UPDATE is the check)."""
    moving = [EnrolmentStatus.AWAITING_PAYMENT, EnrolmentStatus.REFUNDED]
    return bool(
        Enrolment.objects.filter(pk=enrolment.pk, status__in=moving).update(
            status=EnrolmentStatus.ACTIVE, enrolled_at=timezone.now()
        )
    )


def enrolment_refunded(*, enrolment: Enrolment) -> bool:
    """Active -> refunded: the course's lessons close (the progress stays with the learner)."""
    return bool(
        Enrolment.objects.filter(pk=enrolment.pk, status=EnrolmentStatus.ACTIVE).update(
            status=EnrolmentStatus.REFUNDED
        )
    )


class CoursePayments:
    """The payments app's handler for purpose "course" (registered in CoursesConfig.ready)."""

    def on_paid(self, payment) -> None:
        enrolment = _enrolment_of(payment)
        if enrolment is None:
            logger.warning("payment %s names no enrolment", payment.pk)
            return
        if not enrolment_activate(enrolment=enrolment):
            # Already active (paid twice): nothing more was delivered, so the money goes back.
            payment_refund(payment=payment, reason="course already paid for")

    def on_refunded(self, payment, refund) -> None:
        if payment.amount_refunded < payment.amount:
            return  # a partial refund (a goodwill gesture) leaves the course open
        enrolment = _enrolment_of(payment)
        if enrolment is not None:
            enrolment_refunded(enrolment=enrolment)

    def title(self, payment) -> str:
        found = _enrolment_of(payment)
        return f"Course: {found.course.title}" if found else ""
