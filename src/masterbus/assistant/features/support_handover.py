"""Hand the support chat over to a person: a support ticket (P26) for the asking user, with the
conversation attached as its first message (newest turns kept when it is long)."""

from __future__ import annotations

from django.db import transaction

from masterbus.assistant.errors import AssistantError
from masterbus.assistant.models import Feature, Role
from masterbus.assistant.selectors import conversation_for
from masterbus.messaging.models import MESSAGE_MAX_CHARS, TICKET_SUBJECT_MAX_CHARS, SupportTicket
from masterbus.messaging.services.support import ticket_open

SUBJECT_PREFIX = "From the assistant: "


def _transcript(turns: list) -> str:
    """The turns as text, newest kept when the whole would not fit one message."""
    blocks = []
    for turn in turns:
        who = "Me" if turn.role == Role.USER else "Assistant"
        links = "".join(f"\n  - {s.get('title', '')}: {s.get('url', '')}" for s in turn.sources)
        blocks.append(f"{who}: {turn.text}" + (f"\n  Based on:{links}" if links else ""))
    head = "I asked the assistant and need a person. Our conversation:\n\n"
    kept: list[str] = []
    size = len(head)
    for block in reversed(blocks):
        block = block[: MESSAGE_MAX_CHARS - len(head) - 2]
        if size + len(block) + 2 > MESSAGE_MAX_CHARS:
            break
        kept.insert(0, block)
        size += len(block) + 2
    return head + "\n\n".join(kept)


@transaction.atomic
def support_handover(*, user) -> SupportTicket:
    """Open a ticket for ``user`` with their support conversation, named after their last
    question; nobody else's conversation is readable here."""
    conversation = conversation_for(user, feature=Feature.SUPPORT, subject_type="", subject_id="")
    turns = list(conversation.turns.all()) if conversation else []
    questions = [t.text for t in turns if t.role == Role.USER]
    if not questions:
        raise AssistantError("Ask the assistant a question first.", code="nothing_to_hand_over")
    subject = " ".join((SUBJECT_PREFIX + questions[-1]).split())  # what a person is needed for
    if len(subject) > TICKET_SUBJECT_MAX_CHARS:
        subject = subject[: TICKET_SUBJECT_MAX_CHARS - 1].rstrip() + "…"
    return ticket_open(user=user, subject=subject, body=_transcript(turns))
