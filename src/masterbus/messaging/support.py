"""Support tickets link their threads to the ticket page."""

from __future__ import annotations

from django.urls import reverse

from masterbus.messaging import subjects


def register_subject() -> None:
    """Called from ``MessagingConfig.ready()``; the thread's subject id is the ticket id."""
    subjects.register(
        "support",
        url_for=lambda ticket_id: reverse("messaging:ticket", args=[ticket_id]),
        label="Support ticket",
    )
