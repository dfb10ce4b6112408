"""Invoices numbered without gaps, and the receipt e-mail (P23).

A number is taken from the year's ``InvoiceCounter`` row by one UPDATE in the invoice's own
transaction: concurrent issuers queue on that row (PostgreSQL's row lock, SQLite's write lock),
and a rolled-back invoice rolls its number back too, so numbers have no gaps and no duplicates.
Prices are gross: the tax line states the VAT contained (PAYMENTS_VAT_RATE, 0 by default),
net = total / (1 + rate) rounded half up, tax = total − net, so the lines always add up.
"""

from __future__ import annotations

import logging
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from masterbus.core.mail import send_templated_mail
from masterbus.payments.models import Invoice, InvoiceCounter, InvoiceKind, Payment, Refund

logger = logging.getLogger(__name__)


def invoice_number_next(*, year: int) -> str:
    """The next number of the year (call inside the transaction that stores the invoice)."""
    assert transaction.get_connection().in_atomic_block, "numbers are taken in a transaction"
    InvoiceCounter.objects.get_or_create(year=year)
    InvoiceCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = InvoiceCounter.objects.get(year=year).last
    return f"{settings.PAYMENTS_INVOICE_PREFIX}-{year}-{last:06d}"


def tax_split(total: int, rate: Decimal) -> tuple[int, int]:
    """(net, tax) contained in a gross total at ``rate`` percent; net + tax == total."""
    net = int((Decimal(total) * 100 / (100 + rate)).quantize(Decimal(1), ROUND_HALF_UP))
    return net, total - net


def _issue(
    *, payment: Payment, kind: str, buyer, lines: list[dict], total: int, refund=None
) -> Invoice:
    rate = Decimal(str(settings.PAYMENTS_VAT_RATE))
    net, tax = tax_split(total, rate)
    now = timezone.now()
    name = (buyer.display_name or buyer.email) if buyer else payment.billing_name
    return Invoice.objects.create(
        number=invoice_number_next(year=now.year),
        kind=kind,
        payment=payment,
        refund=refund,
        buyer=buyer,
        buyer_name=name[:200],
        buyer_email=(buyer.email if buyer else payment.billing_email),
        buyer_country=payment.billing_country,
        seller=dict(settings.PAYMENTS_SELLER),
        lines=lines,
        currency=payment.currency,
        total=total,
        net=net,
        tax=tax,
        tax_rate=rate,
        issued_at=now,
    )


def invoices_issue(*, payment: Payment) -> list[Invoice]:
    """The payer's invoice for what they bought and, with a payee, the payee's invoice for the
    platform fee; once each (a second call returns none)."""
    made = []
    if not payment.invoices.filter(kind=InvoiceKind.SALE).exists():
        lines = [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.amount,
                "total": line.amount * line.quantity,
            }
            for line in payment.lines.all()
        ]
        made.append(
            _issue(
                payment=payment,
                kind=InvoiceKind.SALE,
                buyer=payment.payer,
                lines=lines,
                total=payment.amount,
            )
        )
    fee = payment.platform_fee or 0
    if payment.payee_id and fee and not payment.invoices.filter(kind=InvoiceKind.FEE).exists():
        line = {
            "description": f"Platform fee ({payment.fee_percent.normalize():f} % of "
            f"{payment.purpose} {payment.purpose_id})",
            "quantity": 1,
            "unit": fee,
            "total": fee,
        }
        made.append(
            _issue(
                payment=payment, kind=InvoiceKind.FEE, buyer=payment.payee, lines=[line], total=fee
            )
        )
    return made


def credit_note_issue(*, refund: Refund) -> Invoice | None:
    """A credit note (negative amounts, the same number sequence) cancelling the refunded part
    of the payer's invoice; once per refund, none if no invoice was issued (a double payment)."""
    payment = refund.payment
    sale = payment.invoices.filter(kind=InvoiceKind.SALE).first()
    if sale is None or Invoice.objects.filter(refund=refund).exists():
        return None
    line = {
        "description": f"Refund against invoice {sale.number}",
        "quantity": 1,
        "unit": -refund.amount,
        "total": -refund.amount,
    }
    return _issue(
        payment=payment,
        kind=InvoiceKind.CREDIT,
        buyer=payment.payer,
        lines=[line],
        total=-refund.amount,
        refund=refund,
    )


def receipt_send(*, payment_id) -> bool:
    """E-mail the payer a receipt (P23); after commit, so a rolled-back payment sends none."""
    payment = Payment.objects.filter(pk=payment_id).select_related("payer").first()
    if payment is None or not payment.billing_email:
        return False
    invoice = payment.invoices.filter(kind=InvoiceKind.SALE).first()
    try:
        send_templated_mail(
            template_prefix="payments/email/receipt",
            context={"payment": payment, "invoice": invoice, "lines": payment.lines.all()},
            to=[payment.billing_email],
        )
    except Exception:  # the payment stands; the receipt is also on the payments page
        logger.exception("receipt for payment %s was not sent", payment_id)
        return False
    return True
