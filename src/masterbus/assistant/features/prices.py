"""Feature 3, fair prices: a suggested range for an engineer's package or a studio's room from
comparable listings on the platform.

The numbers are ours: the median and the middle half (first to third quartile, linear
interpolation between the sorted prices, as ``statistics.quantiles(method="inclusive")``) of
the comparables' prices in minor units. When the narrowest comparison set (same service or
city, a shared genre) has fewer than ASSISTANT_PRICES_MIN_COMPARABLES listings, it is widened
one step at a time and the answer says which set was used. A provider may only rephrase the
draft built from these figures.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from masterbus.assistant.answers import Answer
from masterbus.assistant.models import Feature
from masterbus.orders.models import Package, Service
from masterbus.payments.money import format_money
from masterbus.studios.models import Room

TASK = "Suggest a fair price from comparable listings; keep every figure."


@dataclass(frozen=True)
class Comparable:
    label: str
    url: str
    price: int  # minor units


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of a set of prices, rounded to whole minor units."""

    count: int
    median: int
    q1: int
    q3: int


@dataclass
class Suggestion:
    subject: str  # "package" or "room"
    price: int
    currency: str
    unit: str  # "per order", "per hour"
    basis: str  # the comparison set used, in words
    widened: bool
    spread: Spread | None
    comparables: list[Comparable] = field(default_factory=list)


def _round(value: float) -> int:
    return math.floor(value + 0.5)


def spread_of(prices: list[int]) -> Spread | None:
    """Median and interquartile range (inclusive method); None for no prices."""
    if not prices:
        return None
    ordered = sorted(prices)
    if len(ordered) == 1:
        only = ordered[0]
        return Spread(count=1, median=only, q1=only, q3=only)
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(count=len(ordered), median=_round(median), q1=_round(q1), q3=_round(q3))


def _genres(text: str) -> set[str]:
    return {g.strip().lower() for g in text.split(",") if g.strip()}


def _suggest(
    tiers: list[tuple[str, list[Comparable]]], *, subject: str, price: int, currency: str, unit: str
) -> Suggestion:
    """Compare with the narrowest tier that has enough comparables; else the widest one (maybe
    too few)."""
    index = next(
        (
            i
            for i, (_basis, found) in enumerate(tiers)
            if len(found) >= settings.ASSISTANT_PRICES_MIN_COMPARABLES
        ),
        len(tiers) - 1,
    )
    basis, found = tiers[index]
    return Suggestion(
        subject=subject,
        price=price,
        currency=currency,
        unit=unit,
        basis=basis,
        widened=index > 0,
        spread=spread_of([c.price for c in found]),
        comparables=found,
    )


def package_suggestion(package: Package) -> Suggestion:
    """Comparables: other approved engineers' active packages in the same currency, first of
    the same service sharing a genre, then of the same service, then of any service."""
    engineer = package.engineer
    candidates = list(
        Package.objects.filter(
            active=True,
            engineer__approved_at__isnull=False,
            currency__iexact=package.currency,
        )
        .exclude(engineer=engineer)
        .select_related("engineer")
        .order_by("price", "pk")[: settings.ASSISTANT_PRICES_MAX_SCANNED]
    )
    own_genres = _genres(engineer.genres)
    service = Service(package.service).label.lower()

    def listed(packages: list[Package]) -> list[Comparable]:
        return [
            Comparable(
                label=f"{p.name} by {p.engineer.display_name}",
                url=reverse("orders:engineer", args=[p.engineer_id]),
                price=p.price,
            )
            for p in packages
        ]

    same_service = [p for p in candidates if p.service == package.service]
    tiers = [
        (f"{service} packages", listed(same_service)),
        ("packages of any service", listed(candidates)),
    ]
    if own_genres:
        shared = [p for p in same_service if own_genres & _genres(p.engineer.genres)]
        tiers.insert(
            0,
            (f"{service} packages of engineers in {', '.join(sorted(own_genres))}", listed(shared)),
        )
    return _suggest(
        tiers, subject="package", price=package.price, currency=package.currency, unit="per order"
    )


def room_suggestion(room: Room) -> Suggestion:
    """Comparables: other approved studios' active rooms in the same currency, first in the same
    city sharing a genre, then in the same city, then anywhere."""
    studio = room.studio
    candidates = list(
        Room.objects.filter(
            active=True,
            studio__approved_at__isnull=False,
            studio__currency__iexact=studio.currency,
        )
        .exclude(studio=studio)
        .select_related("studio")
        .order_by("hourly_rate", "pk")[: settings.ASSISTANT_PRICES_MAX_SCANNED]
    )
    city = studio.city.strip().lower()
    own_genres = _genres(studio.genres)

    def listed(rooms: list[Room]) -> list[Comparable]:
        return [
            Comparable(
                label=f"{r.name} at {r.studio.name} ({r.studio.city})",
                url=reverse("studios:room", args=[r.pk]),
                price=r.hourly_rate,
            )
            for r in rooms
        ]

    same_city = [r for r in candidates if r.studio.city.strip().lower() == city]
    tiers = [(f"rooms in {studio.city}", listed(same_city)), ("rooms anywhere", listed(candidates))]
    if own_genres:
        shared = [r for r in same_city if own_genres & _genres(r.studio.genres)]
        tiers.insert(
            0,
            (
                f"rooms in {studio.city} of studios for {', '.join(sorted(own_genres))}",
                listed(shared),
            ),
        )
    return _suggest(
        tiers, subject="room", price=room.hourly_rate, currency=studio.currency, unit="per hour"
    )


def draft(suggestion: Suggestion) -> str:
    """The offline wording of a suggestion; every figure in it comes from ``facts``."""
    s = suggestion.spread

    def money(amount: int) -> str:
        return format_money(amount, suggestion.currency)

    if s is None:
        return (
            f"There are no comparable {suggestion.subject}s on the platform yet, so there is no "
            f"suggestion: your price stays {money(suggestion.price)} {suggestion.unit}."
        )
    lines = []
    if suggestion.widened:
        lines.append(
            f"Too few close comparables, so the comparison was widened to {suggestion.basis}."
        )
    if s.count < settings.ASSISTANT_PRICES_MIN_COMPARABLES:
        lines.append(
            f"Only {s.count} comparable listing{'s' if s.count != 1 else ''}: a rough guide."
        )
    lines.append(
        f"Compared with {s.count} {suggestion.basis}, a fair price is {money(s.q1)} to "
        f"{money(s.q3)} {suggestion.unit} (the middle half); the median is {money(s.median)}."
    )
    if suggestion.price < s.q1:
        position = "below that range"
    elif suggestion.price > s.q3:
        position = "above that range"
    else:
        position = "within that range"
    lines.append(f"Your price, {money(suggestion.price)}, is {position}.")
    return " ".join(lines)


def facts(suggestion: Suggestion) -> dict:
    """The figures computed here, passed to the provider and the JSON API."""
    s = suggestion.spread
    return {
        "subject": suggestion.subject,
        "price": suggestion.price,
        "currency": suggestion.currency,
        "unit": suggestion.unit,
        "basis": suggestion.basis,
        "widened": suggestion.widened,
        "count": s.count if s else 0,
        "median": s.median if s else None,
        "q1": s.q1 if s else None,
        "q3": s.q3 if s else None,
    }


def sources(suggestion: Suggestion) -> list[dict]:
    """Each comparable, linked, with its price: what the answer was based on."""
    return [
        {
            "title": c.label,
            "url": c.url,
            "detail": f"{format_money(c.price, suggestion.currency)} {suggestion.unit}",
        }
        for c in suggestion.comparables[: settings.ASSISTANT_PRICES_MAX_SHOWN]
    ]


def package_answer(package: Package) -> Answer:
    suggestion = package_suggestion(package)
    return Answer(text=draft(suggestion), sources=sources(suggestion), data=facts(suggestion))


def room_answer(room: Room) -> Answer:
    suggestion = room_suggestion(room)
    return Answer(text=draft(suggestion), sources=sources(suggestion), data=facts(suggestion))


def package_ask(package: Package) -> dict:
    """What asking for a package's fair price records and computes (page and API alike)."""
    return {
        "feature": Feature.PRICES,
        "subject_type": "package",
        "subject_id": str(package.pk),
        "question": f"A fair price for my package “{package.name}”?",
        "task": TASK,
        "compute": lambda: package_answer(package),
    }


def room_ask(room: Room) -> dict:
    """What asking for a room's fair hourly rate records and computes (page and API alike)."""
    return {
        "feature": Feature.PRICES,
        "subject_type": "room",
        "subject_id": str(room.pk),
        "question": f"A fair hourly rate for my room “{room.name}”?",
        "task": TASK,
        "compute": lambda: room_answer(room),
    }
