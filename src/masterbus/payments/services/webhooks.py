"""Provider events in (P19): verified by the library, applied once, in any order.

The event id is stored in the same transaction as the event's effect, so a redelivery (or a
replay of the last days' events) finds it and changes nothing; two deliveries racing each other
meet at the unique event id. What changed is read back from the provider (``provider_state``,
before the transaction, so no network call holds the database's write lock) and applied by
``payment_sync``: an event arriving before the one it follows converges on the same state.
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from masterbus.payments import provider
from masterbus.payments.models import Payment, PaymentSetup, WebhookEvent
from masterbus.payments.services.setup import setup_state, setup_sync
from masterbus.payments.services.sync import payment_sync, provider_state

logger = logging.getLogger(__name__)

SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
CHARGE_EVENTS = frozenset(
    {"charge.refunded", "charge.refund.updated", "refund.updated", "refund.created"}
)
# An off-session charge (a saved card) has no checkout session: its intent's events tell.
INTENT_EVENTS = frozenset({"payment_intent.succeeded", "payment_intent.payment_failed"})


def event_receive(*, payload: bytes, signature: str) -> bool:
    """Verify and apply one event; True if it was new. Raises ``provider.SignatureError`` (or
    ValueError for a malformed payload) without changing anything."""
    event = provider.event_construct(payload, signature)
    if WebhookEvent.objects.filter(event_id=event["id"]).exists():
        return False  # a redelivery: nothing to read from the provider
    payment = _payment_of(event)
    state = provider_state(payment) if payment is not None else None
    setup = _setup_of(event) if payment is None else None
    found = setup_state(setup) if setup is not None else None
    with transaction.atomic():
        _, created = WebhookEvent.objects.get_or_create(
            event_id=event["id"], defaults={"type": event["type"][:100]}
        )
        if not created:
            return False
        if payment is not None:
            payment_sync(payment=payment, state=state)
        elif setup is not None:
            setup_sync(setup=setup, state=found)
        else:
            logger.info("event %s (%s) names no payment of ours", event["id"], event["type"])
    return True


def _payment_of(event) -> Payment | None:
    obj = event["data"]["object"]
    if event["type"] in SESSION_EVENTS:
        found = Payment.objects.filter(checkout_session_id=obj["id"]).first()
        return found or _payment_named(obj.get("client_reference_id"))
    if event["type"] in CHARGE_EVENTS and obj.get("payment_intent"):
        intent_id = obj["payment_intent"]
        found = Payment.objects.filter(payment_intent_id=intent_id).first()
        if found is None:  # the refund overtook the payment: the intent names it
            metadata = provider.payment_intent_get(intent_id).get("metadata") or {}
            found = _payment_named(metadata.get("payment_id"))
        return found
    if event["type"] in INTENT_EVENTS:
        found = _payment_named((obj.get("metadata") or {}).get("payment_id"))
        return found if found is not None and not found.checkout_session_id else None
    return None


def _setup_of(event) -> PaymentSetup | None:
    """The saved-card setup a setup-mode session's event names."""
    if event["type"] not in SESSION_EVENTS or event["data"]["object"].get("mode") != "setup":
        return None
    return PaymentSetup.objects.filter(checkout_session_id=event["data"]["object"]["id"]).first()


def _payment_named(reference: str | None) -> Payment | None:
    try:
        pk = uuid.UUID(str(reference))
    except ValueError:
        return None
    return Payment.objects.filter(pk=pk).first()
