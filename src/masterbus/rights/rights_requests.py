"""Rights requests that need a person (P34): filed by anyone, answered by staff within 30 days."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.utils import timezone

from masterbus.rights.models import RightsRequest, RightsRequestStatus

logger = logging.getLogger(__name__)


def rights_request_create(*, kind: str, message: str, email: str, user=None) -> RightsRequest:
    """File the request and acknowledge it by email with the date it will be answered by.

    The acknowledgement repeats neither the message nor anything else the sender typed, so the
    form cannot be used to send someone else arbitrary text.
    """
    request = RightsRequest.objects.create(kind=kind, message=message, email=email, user=user)
    try:
        send_mail(
            subject="We received your request about your data",
            message=(
                f"We received your request ({request.get_kind_display().lower()}) on "
                f"{request.created_at:%d %B %Y}.\n\n"
                f"A person will answer it by {request.due_at:%d %B %Y} at the latest.\n\n"
                "If you did not send this request, you can ignore this email."
            ),
            from_email=None,
            recipient_list=[email],
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
