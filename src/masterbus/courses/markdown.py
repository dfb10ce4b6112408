"""Lesson bodies: Markdown rendered safely, with two directives of our own.

markdown-it-py renders with raw HTML off (typed HTML comes out as text), then nh3 keeps only an
allow-list of tags, attributes and URL schemes (no script, no event attributes, no
``javascript:`` or ``data:`` URLs; every link gets ``rel="noopener noreferrer"``). Headings move
one level down so a lesson's own ``#`` sits under the page's title.

A line of its own (outside fenced code) may embed:

- ``::audio <name>``: the course's audio example of that name, in an ``<audio>`` player;
- ``::drill <kind> [difficulty]``: a card linking to the ear-training drill
  (``training:drill``; kinds as in the contract, difficulty 1 to 5, default 1). Until the
  training app has that URL the card is drawn disabled, so the lesson never breaks.

Directive HTML comes from our templates (autoescaped), never from the author's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

DRILL_KINDS = ("frequency", "level", "compression", "width", "match-eq")
DIRECTIVE = re.compile(r"^::(audio|drill)[ \t]+(.*?)[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MAX_EMBEDS = 50

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False})
    .enable("table")
    .enable("strikethrough")
)


@dataclass(frozen=True)
class Drill:
    kind: str
    difficulty: int
    url: str  # empty while the training app has no drill page


def parse_drill(argument: str) -> Drill | None:
    """``frequency 2`` -> a Drill; None when the kind or the difficulty is not one we know."""
    parts = argument.split()
    if not 1 <= len(parts) <= 2 or parts[0] not in DRILL_KINDS:
        return None
    difficulty = parts[1] if len(parts) == 2 else "1"
    if difficulty not in {"1", "2", "3", "4", "5"}:
        return None
    return Drill(parts[0], int(difficulty), "")


def drill_url(drill: Drill, *, next_url: str) -> str:
    """The drill's page with the difficulty and the way back, or "" without the training app."""
    try:
        base = reverse("training:drill", args=[drill.kind])
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode({'difficulty': drill.difficulty, 'next': next_url})}"


def markdown_html(text: str) -> str:
    """Markdown to sanitised HTML (no directives)."""
    tokens = _md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return nh3.clean(
        _md.renderer.render(tokens, _md.options, {}),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    )


def blocks(body: str) -> list[tuple[str, str]]:
    """The body as ("markdown", text) and ("audio"|"drill", argument) blocks, in order; at most
    MAX_EMBEDS directives (later ones stay text)."""
    found: list[tuple[str, str]] = []
    pending: list[str] = []
    fence = ""
    embeds = 0
    for line in body.splitlines():
        opened = FENCE.match(line)
        if opened and (not fence or opened[1].startswith(fence)):
            fence = "" if fence else opened[1][0] * 3
        match = None if fence else DIRECTIVE.match(line)
        if match and embeds < MAX_EMBEDS:
            embeds += 1
            if pending:
                found.append(("markdown", "\n".join(pending)))
                pending = []
            found.append((match[1], match[2]))
        else:
            pending.append(line)
    if pending:
        found.append(("markdown", "\n".join(pending)))
    return found


def lesson_html(
    body: str,
    *,
    audio_url: Callable[[str], str | None],
    next_url: str,
    drill_note: Callable[[Drill], str] = lambda drill: "",
) -> SafeString:
    """The lesson's HTML: sanitised Markdown and our own embeds.

    ``audio_url(name)`` gives an audio example's address (None: no such example);
    ``drill_note(drill)`` an optional line under a drill card (the learner's best score)."""
    parts: list[str] = []
    for kind, text in blocks(body[: settings.COURSES_LESSON_MAX_CHARS]):
        if kind == "markdown":
            parts.append(markdown_html(text))
        elif kind == "audio":
            parts.append(
                render_to_string("courses/_audio.html", {"name": text, "url": audio_url(text)})
            )
        else:
            drill = parse_drill(text)
            if drill is not None:
                drill = Drill(drill.kind, drill.difficulty, drill_url(drill, next_url=next_url))
            context = {"drill": drill, "text": text, "note": drill and drill_note(drill)}
            parts.append(render_to_string("courses/_drill.html", context))
    return mark_safe("\n".join(parts))  # sanitised Markdown and autoescaped templates
