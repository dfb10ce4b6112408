"""The kinds of notification and whether a user may switch their e-mail off (P24).

Transactional e-mail (order and booking updates, deliveries, reminders, messages, support
answers) is on by default. ``required`` kinds are about money or a commitment the user made
(an order they paid, a booking they hold, a support ticket they opened): their e-mail cannot be
switched off, only the others can. Every notification is kept in the history whatever the
preference says (P26). Apps that need another kind register it in their ``AppConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    required: bool = False


KINDS: dict[str, Kind] = {}


def register(name: str, *, label: str, required: bool = False) -> Kind:
    """Add a kind (idempotent for the same definition)."""
    kind = Kind(name=name, label=label, required=required)
    if KINDS.get(name, kind) != kind:
        raise ValueError(f"notification kind {name!r} is already registered differently")
    KINDS[name] = kind
    return kind


def kind_get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; register it first") from None


ORDER = register("order", label="Order updates (payment, acceptance, completion)", required=True)
BOOKING = register("booking", label="Booking confirmations and changes", required=True)
DELIVERY = register("delivery", label="Deliveries of your masters and mixes")
REMINDER = register("reminder", label="Reminders before your sessions")
MESSAGE = register("message", label="New messages in your orders and bookings")
SUPPORT = register("support", label="Answers to your support tickets", required=True)
