"""Cancellation policies as data: tiers of "cancelled at least this many hours before the start
-> this percentage of what the client paid comes back".

A studio picks a preset; the tiers are copied onto each booking when it is made, so a later
change of the studio's policy never changes a booking already made (what the client saw is
what applies).
"""

from __future__ import annotations

from django.db import models


class CancellationPolicy(models.TextChoices):
    FLEXIBLE = "flexible", "Flexible"
    MODERATE = "moderate", "Moderate"
    STRICT = "strict", "Strict"


# Highest threshold first; the last tier (0 hours) applies up to the start.
PRESETS: dict[str, list[dict[str, int]]] = {
    CancellationPolicy.FLEXIBLE: [
        {"hours_before": 24, "refund_percent": 100},
        {"hours_before": 0, "refund_percent": 50},
    ],
    CancellationPolicy.MODERATE: [
        {"hours_before": 5 * 24, "refund_percent": 100},
        {"hours_before": 48, "refund_percent": 50},
        {"hours_before": 0, "refund_percent": 0},
    ],
    CancellationPolicy.STRICT: [
        {"hours_before": 14 * 24, "refund_percent": 100},
        {"hours_before": 7 * 24, "refund_percent": 50},
        {"hours_before": 0, "refund_percent": 0},
    ],
}


def tiers_for(policy: str) -> list[dict[str, int]]:
    """A copy of the preset's tiers (the booking keeps its own)."""
    return [dict(tier) for tier in PRESETS[policy]]


def refund_percent(tiers: list[dict[str, int]], *, hours_before: float) -> int:
    """The client's refund percentage when cancelling ``hours_before`` hours before the start
    (negative: after the start, nothing back)."""
    if hours_before < 0:
        return 0
    for tier in sorted(tiers, key=lambda t: t["hours_before"], reverse=True):
        if hours_before >= tier["hours_before"]:
            return tier["refund_percent"]
    return 0


def describe(tiers: list[dict[str, int]]) -> list[str]:
    """The tiers as sentences, shown before booking and on the booking."""
    lines = []
    ordered = sorted(tiers, key=lambda t: t["hours_before"], reverse=True)
    for tier in ordered:
        hours = tier["hours_before"]
        when = (
            "up to the start"
            if hours == 0
            else f"{hours // 24} days or more before the start"
            if hours % 24 == 0 and hours >= 48
            else f"{hours} hours or more before the start"
        )
        lines.append(f"Cancel {when}: {tier['refund_percent']} % of what you paid back.")
    lines.append("If the studio cancels, you get everything back.")
    return lines
