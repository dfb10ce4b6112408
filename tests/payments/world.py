"""The URL walk's payments objects (tests/support/urlwalk.py): alice paid someone outside the
walk (her invoice), and was paid by someone outside it (her earning, her fee invoice)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masterbus.payments import money
from masterbus.payments.models import Earning, InvoiceKind, Payment, PaymentLine, PaymentStatus
from masterbus.payments.services.invoices import invoices_issue
from tests.platform.fixtures import make_user


def paid_payment(payer, payee, amount: int, purpose_id: str) -> Payment:
    """A paid payment as the webhook leaves it (ledger rows only, no provider)."""
    share, fee = money.split(amount, rule="orders")
    with transaction.atomic():
        payment = Payment.objects.create(
            payer=payer, payee=payee, purpose="walk", purpose_id=purpose_id, currency="eur",
            amount=amount, fee_rule="orders", fee_percent=money.fee_percent("orders"),
            status=PaymentStatus.PAID, paid_at=timezone.now(), payee_share=share,
            platform_fee=fee, card_brand="visa", card_last4="4242",
            billing_name=payer.email, billing_email=payer.email,
        )  # fmt: skip
        PaymentLine.objects.create(payment=payment, position=0, description="Walk", amount=amount)
        Earning.objects.create(payment=payment, payee=payee, currency="eur", amount=share)
        invoices_issue(payment=payment)
    return payment


def payments_objects(alice) -> dict:
    outsider = make_user(f"payer-{alice.pk}@example.com")
    bought = paid_payment(alice, outsider, 5000, "bought")
    paid_payment(outsider, alice, 7000, "sold")
    return {"invoice": bought.invoices.get(kind=InvoiceKind.SALE)}
