"""Reads, scoped to who may see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet, Sum

from masterbus.payments.models import Earning, EarningStatus, Invoice, Payment, Payout
from masterbus.rights.roles import FINANCE


def payment_for(*, purpose: str, purpose_id: str) -> Payment | None:
    """The payment of a purpose: the charged one if any, else the newest attempt."""
    payments = Payment.objects.filter(purpose=purpose, purpose_id=str(purpose_id))
    return payments.filter(paid_at__isnull=False).first() or payments.first()


def payments_for_payer(user) -> QuerySet[Payment]:
    return Payment.objects.filter(payer=user)


def earnings_for(user) -> QuerySet[Earning]:
    return Earning.objects.filter(payee=user).select_related("payment", "payout")


def earnings_totals(user) -> dict[tuple[str, str], int]:
    """{(status, currency): sum} of the user's earnings, for the earnings page."""
    rows = earnings_for(user).exclude(status=EarningStatus.CANCELLED)
    totals = rows.values("status", "currency").annotate(total=Sum("amount")).order_by()
    return {(row["status"], row["currency"]): row["total"] for row in totals}


def payouts_for(user) -> QuerySet[Payout]:
    return Payout.objects.filter(payee=user)


def is_finance(user) -> bool:
    """Finance staff (or admins) read every financial record (P20: a role, not is_staff)."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and (
            user.is_superuser
            or user.groups.filter(name=FINANCE).exists()
            or user.has_perm("payments.view_invoice")
        )
    )


def invoices_for(user) -> QuerySet[Invoice]:
    """Invoices the user may download: their own (buyer), or every one for finance staff."""
    if is_finance(user):
        return Invoice.objects.all()
    return Invoice.objects.filter(Q(buyer=user))
