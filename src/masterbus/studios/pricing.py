"""The price of a booking, computed once and frozen on it: the room's rate times the real hours
booked (at least the room's minimum), the add-ons, the platform's fee (part of the total, taken
from the studio's share by the "booking" fee rule) and the deposit paid when booking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from masterbus.payments.money import split
from masterbus.studios.availability import real_hours
from masterbus.studios.models import AddOn, AddOnUnit, Room

FEE_RULE = "booking"


@dataclass(frozen=True)
class Quote:
    currency: str
    hours: int  # real hours booked
    billed_hours: int  # at least the room's minimum
    lines: list[dict] = field(default_factory=list)  # description, amount, quantity
    total: int = 0
    platform_fee: int = 0
    studio_share: int = 0
    deposit: int = 0

    @property
    def balance(self) -> int:
        """What is left to pay after the deposit (at the studio)."""
        return self.total - self.deposit


def whole_hours(start: dt.datetime, end: dt.datetime) -> int | None:
    """The real hours between two instants when they are whole, else None."""
    hours = real_hours(start, end)
    return int(hours) if hours == int(hours) else None


def quote(*, room: Room, start: dt.datetime, end: dt.datetime, addons: Sequence[AddOn]) -> Quote:
    """The price lines and totals for the room over [start, end) (whole real hours)."""
    studio = room.studio
    hours = whole_hours(start, end) or 0
    billed = max(hours, room.minimum_hours)
    lines = [
        {
            "description": f"{room.name}, {billed} h",
            "amount": room.hourly_rate,
            "quantity": billed,
            "per_hour": True,
        }
    ]
    for addon in addons:
        per_hour = addon.unit == AddOnUnit.PER_HOUR
        lines.append(
            {
                "description": addon.name,
                "amount": addon.price,
                "quantity": billed if per_hour else 1,
                "per_hour": per_hour,
            }
        )
    total = sum(line["amount"] * line["quantity"] for line in lines)
    share, fee = split(total, rule=FEE_RULE)
    deposit = percent_of(total, studio.deposit_percent)
    return Quote(studio.currency, hours, billed, lines, total, fee, share, deposit)


def percent_of(amount: int, percent: int) -> int:
    """``amount × percent / 100`` rounded half up to the minor unit."""
    return int((Decimal(amount) * percent / 100).quantize(Decimal(1), ROUND_HALF_UP))


def reprice(*, booking, start: dt.datetime, end: dt.datetime) -> Quote:
    """The booking's frozen lines for a new time: the room and per-hour add-ons for the new
    billed hours, flat add-ons unchanged; the deposit keeps the booking's share of the total.
    (Lines frozen before ``per_hour`` was recorded: the room line is the per-hour one.)"""
    room = booking.room
    hours = whole_hours(start, end) or 0
    billed = max(hours, room.minimum_hours)
    lines = []
    for index, line in enumerate(booking.price_lines):
        per_hour = line.get("per_hour", index == 0)
        new = {**line, "quantity": billed if per_hour else line["quantity"], "per_hour": per_hour}
        if index == 0:
            new["description"] = f"{room.name}, {billed} h"
        lines.append(new)
    total = sum(line["amount"] * line["quantity"] for line in lines)
    share, fee = split(total, rule=FEE_RULE)
    deposit = int(
        (Decimal(booking.deposit) * total / booking.total).quantize(Decimal(1), ROUND_HALF_UP)
    )
    return Quote(booking.currency, hours, billed, lines, total, fee, share, deposit)
