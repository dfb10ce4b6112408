"""Support tickets (P26): a user asks, the support team answers in the ticket's thread."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masterbus.messaging import kinds
from masterbus.messaging.errors import MessagingError
from masterbus.messaging.models import (
    TICKET_SUBJECT_MAX_CHARS,
    Message,
    SupportTicket,
    TicketStatus,
)
from masterbus.messaging.services.threads import message_post, participants_add, thread_for

SUBJECT_TYPE = "support"


@transaction.atomic
def ticket_open(*, user, subject: str, body: str) -> SupportTicket:
    """Open a ticket with its first message (same bounds and rate as any message)."""
    subject = " ".join((subject or "").split())
    if not subject:
        raise MessagingError("Give your question a subject.")
    if len(subject) > TICKET_SUBJECT_MAX_CHARS:
        raise MessagingError(f"The subject is longer than {TICKET_SUBJECT_MAX_CHARS} characters.")
    ticket = SupportTicket(user=user, subject=subject)
    ticket.thread = thread_for(
        subject_type=SUBJECT_TYPE, subject_id=str(ticket.id), participants=[user]
    )
    ticket.save()
    message_post(thread=ticket.thread, author=user, body=body)
    return ticket


@transaction.atomic
def ticket_answer(*, ticket: SupportTicket, staff_user, body: str) -> Message:
    """A support staff member answers: joins the thread, posts, and the user is notified (kind
    "support", whose e-mail cannot be switched off)."""
    participants_add(thread=ticket.thread, users=[staff_user])
    return message_post(
        thread=ticket.thread,
        author=staff_user,
        body=body,
        kind=kinds.SUPPORT.name,
        title=f"Support answered: {ticket.subject}",
    )


def ticket_close(*, ticket: SupportTicket) -> bool:
    """Close an open ticket (conditional: closing twice changes nothing)."""
    return bool(
        SupportTicket.objects.filter(pk=ticket.pk, status=TicketStatus.OPEN).update(
            status=TicketStatus.CLOSED, closed_at=timezone.now()
        )
    )
