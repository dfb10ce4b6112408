"""The price of an order: the package, extra revision rounds and rush, split by the "orders" fee
rule (payments.money: the fee rounded half up, the engineer gets the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from masterbus.orders.errors import OrderError
from masterbus.orders.models import Package
from masterbus.payments.money import split

FEE_RULE = "orders"


@dataclass(frozen=True)
class QuoteLine:
    description: str
    amount: int  # each, minor units
    quantity: int = 1


@dataclass(frozen=True)
class Quote:
    currency: str
    lines: tuple[QuoteLine, ...]
    total: int
    platform_fee: int
    engineer_share: int
    turnaround_days: int
    revisions_included: int
    due_at: datetime  # if paid now


def quote(
    *, package: Package, extra_revisions: int = 0, rush: bool = False, now: datetime | None = None
) -> Quote:
    """What the client pays and when the delivery is due; refuses add-ons the package lacks."""
    limit = settings.ORDERS_MAX_EXTRA_REVISIONS
    if not 0 <= extra_revisions <= limit:
        raise OrderError(f"Choose between 0 and {limit} extra revision rounds.")
    if extra_revisions and not package.extra_revision_price:
        raise OrderError("This package has no extra revision rounds to buy.")
    if rush and not package.rush_price:
        raise OrderError("This package has no rush delivery.")
    lines = [QuoteLine(f"{package.name} ({package.get_service_display()})", package.price)]
    if extra_revisions:
        lines.append(
            QuoteLine("Extra revision round", package.extra_revision_price, extra_revisions)
        )
    if rush:
        lines.append(QuoteLine(f"Rush delivery ({package.rush_days} days)", package.rush_price))
    total = sum(line.amount * line.quantity for line in lines)
    share, fee = split(total, rule=FEE_RULE)
    days = package.rush_days if rush else package.turnaround_days
    return Quote(
        currency=package.currency,
        lines=tuple(lines),
        total=total,
        platform_fee=fee,
        engineer_share=share,
        turnaround_days=days,
        revisions_included=package.revisions_included + extra_revisions,
        due_at=(now or timezone.now()) + timedelta(days=days),
    )
