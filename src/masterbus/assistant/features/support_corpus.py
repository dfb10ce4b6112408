"""What the support chat answers from: our own help pages and policies, cut into sections.

- the help texts in ``assistant/help/*.md`` (one section per ``##`` question; ``{SETTING}``
  placeholders are filled from the settings in force, so a page cannot drift from the code);
- the promises registry (one section per promise, linked to its row on the promises page);
- the privacy policy's retention table and the cookie registry, read from the live settings as
  the privacy pages are.

Sections are built once per process (the settings do not change while it runs; tests that
override a setting call ``sections.cache_clear()``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from masterbus.privacy.cookies import storage_items
from masterbus.privacy.policy import retention_windows
from masterbus.privacy.promises import PROMISES

HELP_DIR = Path(__file__).resolve().parent.parent / "help"
HELP_PAGES = ("mastering", "orders", "studios", "payments", "account")
PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


@dataclass(frozen=True)
class Section:
    key: str  # the anchor on its page
    page: str  # the page's title
    title: str
    text: str
    url: str


@dataclass(frozen=True)
class HelpPage:
    slug: str
    title: str
    sections: tuple[Section, ...]


def _derived() -> dict[str, object]:
    """Values the help texts name in other units than the settings hold."""
    return {
        "MAX_UPLOAD_MB": settings.MAX_UPLOAD_BYTES // 1_000_000,
        "MAX_AUDIO_MINUTES": settings.MAX_AUDIO_SECONDS // 60,
        "FILE_LINK_HOURS": settings.FILE_LINK_MAX_AGE // 3600,
        "PAYMENTS_RETENTION_YEARS": settings.PAYMENTS_RETENTION_DAYS // 365,
    }


def _fill(text: str) -> str:
    derived = _derived()

    def value(match: re.Match) -> str:
        name = match.group(1)
        return str(derived[name] if name in derived else getattr(settings, name))

    return PLACEHOLDER.sub(value, text)


def _help_page(path: Path) -> HelpPage:
    """A Markdown help file: its ``#`` title and its ``##`` questions with their answers."""
    title = path.stem.capitalize()
    parts: list[tuple[str, list[str]]] = []
    for line in _fill(path.read_text(encoding="utf-8")).splitlines():
        if line.startswith("## "):
            parts.append((line[3:].strip(), []))
        elif line.startswith("# "):
            title = line[2:].strip()
        elif parts and line.strip():
            parts[-1][1].append(line.strip())
    base = reverse("assistant:help")
    sections = tuple(
        Section(
            key=f"{path.stem}-{slugify(question)}",
            page=title,
            title=question,
            text=" ".join(lines),
            url=f"{base}#{path.stem}-{slugify(question)}",
        )
        for question, lines in parts
    )
    return HelpPage(slug=path.stem, title=title, sections=sections)


@functools.cache
def help_pages() -> tuple[HelpPage, ...]:
    return tuple(_help_page(HELP_DIR / f"{name}.md") for name in HELP_PAGES)


def _promise_sections() -> list[Section]:
    base = reverse("privacy:promises")
    return [
        Section(
            key=p.id,
            page="Our promises",
            title=f"{p.id}: {p.topic}",
            text=f"{p.text} Status: {p.status.value}. {p.missing}".strip(),
            url=f"{base}#{p.id}",
        )
        for p in PROMISES
    ]


def _policy_sections() -> list[Section]:
    retention = "; ".join(f"{what}: {how_long}" for what, how_long in retention_windows())
    cookies = "; ".join(
        f"{item.name} ({item.category}, {item.lifetime}): {item.purpose}"
        for item in storage_items()
    )
    return [
        Section(
            key="retention",
            page="Privacy policy",
            title="What we keep and for how long (retention, deletion)",
            text=retention,
            url=reverse("privacy:privacy") + "#retention",
        ),
        Section(
            key="cookies",
            page="Cookies and storage",
            title="Cookies and browser storage we use",
            text=cookies,
            url=reverse("privacy:cookies"),
        ),
    ]


@functools.cache
def sections() -> tuple[Section, ...]:
    """Every section the support chat can cite."""
    found = [section for page in help_pages() for section in page.sections]
    return (*found, *_promise_sections(), *_policy_sections())
