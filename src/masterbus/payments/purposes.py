"""What a payment is for: apps register a handler per purpose (orders: "order", booking:
"booking") in their AppConfig.ready(); the webhook calls it inside the transaction that applies
the event, so the app's state and the payment's move together or not at all. A handler may also
name what was paid for (``title``), which the payee's earnings page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from masterbus.payments.models import Payment, Refund


class PurposeHandler(Protocol):
    def on_paid(self, payment: Payment) -> None: ...

    def on_refunded(self, payment: Payment, refund: Refund) -> None: ...


_handlers: dict[str, PurposeHandler] = {}


def register(purpose: str, handler: PurposeHandler) -> None:
    """Register (or replace: a reloaded app registers again) the handler of a purpose."""
    _handlers[purpose] = handler


def unregister(purpose: str) -> None:
    _handlers.pop(purpose, None)


def handler_for(purpose: str) -> PurposeHandler | None:
    return _handlers.get(purpose)


def title_of(payment: Payment) -> str:
    """What the payment was for, as its app names it (an order's title), or the purpose."""
    title = getattr(handler_for(payment.purpose), "title", None)
    return (title(payment) if title else "") or payment.purpose
