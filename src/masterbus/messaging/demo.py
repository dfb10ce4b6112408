"""Demo messaging: notifications for the demo listener and a support ticket a demo support
agent has answered (loaded by `masterbus demo`; idempotent)."""

from __future__ import annotations

from django.urls import reverse

from masterbus.demo.users import demo_user
from masterbus.messaging import kinds
from masterbus.messaging.models import SupportTicket
from masterbus.messaging.services import notify
from masterbus.messaging.services.support import ticket_answer, ticket_open
from masterbus.rights.roles import SUPPORT

TICKET_SUBJECT = "How do I match a reference track?"
NOTIFICATIONS = (
    ("demo:delivery", kinds.DELIVERY.name, "Your demo song is mastered", "mastering:library"),
    ("demo:support", kinds.SUPPORT.name, "Welcome to Masterbus support", "messaging:support"),
)


def load(*, stdout) -> None:
    listener = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    agent = demo_user("support", display_name="Sam from Support", stdout=stdout, staff_role=SUPPORT)
    made = 0
    for key, kind, title, url_name in NOTIFICATIONS:
        made += (
            notify(user=listener, kind=kind, title=title, url=reverse(url_name), key=key)
            is not None
        )
    if made:
        stdout.write(f"  {made} notification(s) for {listener.email}")
    if not SupportTicket.objects.filter(user=listener, subject=TICKET_SUBJECT).exists():
        ticket = ticket_open(
            user=listener,
            subject=TICKET_SUBJECT,
            body="I want my master to sound like a song I love. Where do I add it?",
        )
        ticket_answer(
            ticket=ticket,
            staff_user=agent,
            body="Open 'Master', choose 'Reference track' and upload the song: we match its "
            "loudness and tone. The amount slider sets how closely.",
        )
        stdout.write(f"  support ticket {TICKET_SUBJECT!r}, answered by {agent.email}")
