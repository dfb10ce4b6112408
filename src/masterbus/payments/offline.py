"""A sale paid without the provider, for demo data and tests only: what the payments webhook
leaves behind (payments.services.sync), so the purpose's own code runs as in production."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masterbus.payments import money, purposes
from masterbus.payments.models import Earning, Payment, PaymentStatus


@transaction.atomic
def payment_paid_offline(
    *,
    payer,
    payee,
    purpose: str,
    purpose_id: str,
    currency: str,
    amount: int,
    fee_rule: str,
    **extra,
) -> Payment:
    """The paid payment split by ``fee_rule``, the payee's pending earning, then the purpose's
    handler. ``extra``: more Payment fields (a card, a payment intent id)."""
    share, fee = money.split(amount, rule=fee_rule)
    payment = Payment.objects.create(
        payer=payer,
        payee=payee,
        purpose=purpose,
        purpose_id=purpose_id,
        currency=currency,
        amount=amount,
        fee_rule=fee_rule,
        status=PaymentStatus.PAID,
        paid_at=timezone.now(),
        payee_share=share,
        platform_fee=fee,
        **extra,
    )
    Earning.objects.create(payment=payment, payee=payee, currency=currency, amount=share)
    purposes.handler_for(purpose).on_paid(payment)
    return payment
