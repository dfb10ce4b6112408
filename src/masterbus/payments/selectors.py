"""Reads, scoped to who may see them."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from masterbus.payments.models import (
    Earning,
    EarningStatus,
    Invoice,
    Payment,
    PaymentSetup,
    Payout,
    SetupStatus,
)


def payment_for(*, purpose: str, purpose_id: str) -> Payment | None:
    """The payment of a purpose: the charged one if any, else the newest attempt."""
    payments = Payment.objects.filter(purpose=purpose, purpose_id=str(purpose_id))
    return payments.filter(paid_at__isnull=False).first() or payments.first()


def payments_for_payer(user) -> QuerySet[Payment]:
    return Payment.objects.filter(payer=user)


def earnings_for(user) -> QuerySet[Earning]:
    return Earning.objects.filter(payee=user).select_related("payment", "payout")


def earnings_summary(user) -> list[dict]:
    """Per currency: the sums pending, released and paid out (cancelled ones are left out)."""
    rows = (
        earnings_for(user)
        .exclude(status=EarningStatus.CANCELLED)
        .values("status", "currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(
            row["currency"],
            {"currency": row["currency"], "pending": 0, "released": 0, "paid_out": 0},
        )
        entry[row["status"]] = row["total"]
    return list(found.values())


def payouts_for(user) -> QuerySet[Payout]:
    return Payout.objects.filter(payee=user)


def is_finance(user) -> bool:
    """Staff with the finance role (or admins) read every financial record (P20)."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm("payments.view_invoice"))


def invoices_for_owner(user) -> QuerySet[Invoice]:
    """The user's own invoices: as payer (what they bought) or payee (the platform's fee)."""
    return Invoice.objects.filter(buyer=user)


def invoices_for_finance(user) -> QuerySet[Invoice]:
    """Every invoice for finance staff, none for anyone else."""
    return Invoice.objects.all() if is_finance(user) else Invoice.objects.none()


def saved_card_for(*, purpose: str, purpose_id: str) -> PaymentSetup | None:
    """The newest card saved for a purpose (ready to charge off-session), if any."""
    return (
        PaymentSetup.objects.filter(
            purpose=purpose, purpose_id=str(purpose_id), status=SetupStatus.READY
        )
        .order_by("-ready_at")
        .first()
    )
