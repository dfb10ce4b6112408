"""Rights requests that need a person (P34): filed by anyone, answered by staff within 30 days."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from masterbus.core.mail import send_templated_mail
from masterbus.rights.models import RightsRequest, RightsRequestStatus
from masterbus.rights.roles import ADMIN, SUPPORT

logger = logging.getLogger(__name__)


def rights_request_create(*, kind: str, message: str, email: str, user=None) -> RightsRequest:
    """File the request and acknowledge it by email with the date it will be answered by.

    The acknowledgement repeats neither the message nor anything else the sender typed, so the
    form cannot be used to send someone else arbitrary text.
    """
    request = RightsRequest.objects.create(kind=kind, message=message, email=email, user=user)
    try:
        send_templated_mail(
            template_prefix="rights/email/request_received",
            context={
                "kind": request.get_kind_display(),
                "received_at": request.created_at,
                "due_at": request.due_at,
            },
            to=[email],
        )
    except OSError:
        logger.exception("could not acknowledge rights request %s", request.pk)
    return request


def rights_request_set_status(*, request: RightsRequest, status: str, staff) -> RightsRequest:
    """Record an answer (or a refusal) and who gave it; reopening clears both."""
    request.status = status
    closed = status != RightsRequestStatus.OPEN
    request.handled_by = staff if closed else None
    request.handled_at = timezone.now() if closed else None
    request.save(update_fields=["status", "handled_by", "handled_at", "staff_note"])
    return request


def rights_request_remind(*, now=None) -> int:
    """Email the staff who work the queue about open requests due within
    RIGHTS_REQUEST_REMIND_DAYS (or overdue), at most once a day each; returns how many."""
    now = now or timezone.now()
    age = timedelta(days=settings.RIGHTS_REQUEST_DUE_DAYS - settings.RIGHTS_REQUEST_REMIND_DAYS)
    due = RightsRequest.objects.filter(
        Q(reminded_at=None) | Q(reminded_at__lte=now - timedelta(days=1)),
        status=RightsRequestStatus.OPEN,
        created_at__lte=now - age,
    )
    requests = list(due)
    staff = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=(SUPPORT, ADMIN)))
        .values_list("email", flat=True)
        .distinct()
    )
    if not requests or not staff:
        return 0
    site = settings.SITE_URL.rstrip("/")
    items = [
        {
            "request": r,
            "overdue": r.due_at < now,
            "url": site + reverse("admin:rights_rightsrequest_change", args=[r.pk]),
        }
        for r in requests
    ]
    try:
        send_templated_mail(
            template_prefix="rights/email/requests_due",
            context={"requests": items},
            to=list(staff),
        )
    except OSError:
        logger.exception("could not send the rights-request reminder")
        return 0
    RightsRequest.objects.filter(pk__in=[r.pk for r in requests]).update(reminded_at=now)
    logger.info("reminded staff of %d rights request(s) due soon", len(requests))
    return len(requests)
