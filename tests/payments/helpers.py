"""Test helpers: a test-only purpose that records what the payments app told it, and a paid
payment walked through the stripe library, the hosted page and the signed webhook."""

from __future__ import annotations

from masterbus.payments.models import Payment
from masterbus.payments.services import Checkout, Line, checkout_start

PURPOSE = "testpurpose"


class Recorder:
    def __init__(self) -> None:
        self.paid: list = []
        self.refunded: list = []

    def on_paid(self, payment) -> None:
        self.paid.append(payment.pk)

    def on_refunded(self, payment, refund) -> None:
        self.refunded.append((payment.pk, refund.amount))


def start(payer, payee=None, *, amount: int = 10_000, purpose_id: str = "1", **extra) -> Checkout:
    return checkout_start(
        payer=payer,
        purpose=PURPOSE,
        purpose_id=purpose_id,
        lines=[Line("Stem mastering", amount)],
        currency="eur",
        payee=payee,
        fee_rule="orders" if payee is not None else None,
        success_url="https://masterbus.test/paid?session={CHECKOUT_SESSION_ID}",
        cancel_url="https://masterbus.test/cancelled",
        **extra,
    )


def paid(server, client, payer, payee=None, **extra) -> Payment:
    checkout = start(payer, payee, **extra)
    answer = server.pay(checkout.url)
    assert answer.status_code == 303, answer.text
    for response in server.deliver_new(client):
        assert response.status_code == 200
    return Payment.objects.get(pk=checkout.payment.pk)
