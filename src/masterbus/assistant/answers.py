"""What every assistant feature returns: text phrased from our facts, the sources it used and
the computed data (numbers come from our code, words may come from a provider)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Answer:
    text: str
    sources: list[dict] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    # Who phrased the text ("offline" or the model provider's name) and, when a model's text
    # was refused or failed, why the built-in draft is shown instead.
    provider: str = "offline"
    note: str = ""
