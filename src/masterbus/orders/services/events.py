"""The order's timeline, and telling the people concerned (P24, P26).

Every move of the state machine records one ``OrderEvent`` and notifies the other party (and,
for payment and money moves, the client too) through ``messaging.services.notify``: the
notification history always, the e-mail (``templates/orders/email/<event>_*``) as the user's
preferences allow. The notification key makes a retried move notify once.
"""

from __future__ import annotations

from django.urls import reverse

from masterbus.messaging.services import notify
from masterbus.orders.models import EventKind, Order, OrderEvent

# Who hears of each event: "client", "engineer".
RECIPIENTS: dict[str, tuple[str, ...]] = {
    EventKind.PAID: ("engineer", "client"),
    EventKind.ACCEPTED: ("client",),
    EventKind.DECLINED: ("client",),
    EventKind.STARTED: ("client",),
    EventKind.DELIVERED: ("client",),
    EventKind.REVISION_REQUESTED: ("engineer",),
    EventKind.ROUND_BOUGHT: ("engineer",),
    EventKind.APPROVED: ("engineer",),
    EventKind.AUTO_APPROVED: ("engineer", "client"),
    EventKind.CANCELLED: ("engineer",),
    EventKind.REFUNDED: ("client", "engineer"),
    EventKind.DISPUTED: ("engineer",),
}
# The notification kind (messaging.kinds) of each event: deliveries have their own preference.
NOTIFICATION_KIND = {EventKind.DELIVERED: "delivery"}


def event_record(*, order: Order, kind: str, text: str = "", notify_key: str = "") -> OrderEvent:
    """Add a line to the timeline and notify whoever ``RECIPIENTS`` names for it.

    ``notify_key`` distinguishes repeated events of one kind (v1 and v2 delivered)."""
    event = OrderEvent.objects.create(order=order, kind=kind, text=text[:300])
    link = reverse("orders:order", args=[order.pk])
    for role in RECIPIENTS.get(kind, ()):
        user = order.client if role == "client" else order.engineer
        if user is None:  # an account deleted since (P32): the order stays, nobody to tell
            continue
        notify(
            user=user,
            kind=NOTIFICATION_KIND.get(kind, "order"),
            title=f"{order.title}: {event.get_kind_display()}",
            body=text,
            url=link,
            email_template=f"orders/email/{kind}",
            context={"order": order, "event": event, "role": role},
            key=f"order:{order.pk}:{kind}:{notify_key}:{role}",
        )
    return event
