"""Feature 4, review summaries: the themes of an engineer's or a studio's reviews (pros and cons)
with quotes that link back to each review; extractive and offline.

Each review is split into sentences; a sentence belongs to a theme when it names one of the
theme's aspect words, and its sentiment is the sum of a small word lexicon (a negation within
the three words before flips a word). A theme's pros are its positive sentences, its cons the
negative ones; the strongest of each are quoted verbatim. Review text is only ever data: it is
counted and quoted, never followed (see reviews_text in the tests: an "ignore previous
instructions" review changes nothing but what is quoted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from masterbus.assistant.answers import Answer
from masterbus.orders.models import EngineerProfile
from masterbus.orders.selectors import engineer_reviews
from masterbus.studios.models import Review, ReviewSide, Studio

QUOTE_MAX_CHARS = 240
QUOTES_PER_SIDE = 2


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Aspect words per theme (stems: a word matches when it starts with one of them).
THEMES: dict[str, frozenset[str]] = {
    "Sound and results": _lexicon(
        "sound mix master result punch clarit loud warm vocal bass track song detail balance "
        "low-end"
    ),
    "Communication": _lexicon(
        "communicat respons repl answer listen friendly helpful rude explain feedback talk "
        "contact email message"
    ),
    "Speed and reliability": _lexicon(
        "fast quick time late delay slow deadline turnaround prompt wait schedul punctual"
    ),
    "Value for money": _lexicon("price value expensive cheap worth money cost afford overpric fee"),
    "Room and equipment": _lexicon(
        "room gear equipment mic console piano acoustic booth monitor amp instrument headphone"
    ),
    "Atmosphere and comfort": _lexicon(
        "atmospher vibe comfort clean dirty parking location coffee space cramped cozy cosy "
        "noise noisy"
    ),
    "Professionalism": _lexicon(
        "professional skill experience knowledge engineer expert organi reliable attention"
    ),
}


POSITIVE = _lexicon(
    """great excellent amazing awesome love loved lovely friendly fast quick clean warm helpful
    professional perfect recommend recommended good best clear punchy fantastic superb wonderful
    responsive reliable comfortable cozy cosy spacious affordable worth fair nice happy
    impressive detailed patient smooth brilliant top solid pleasant quiet"""
)
NEGATIVE = _lexicon(
    """bad poor slow late rude noisy dirty expensive overpriced muddy harsh broken disappointed
    disappointing terrible awful cold cramped unresponsive unprofessional worst messy distorted
    lost rushed careless dull thin boomy delayed unhelpful unclear difficult problem problems
    issue issues annoying uncomfortable small"""
)
NEGATIONS = _lexicon(
    "not no never hardly without nothing didn't wasn't isn't don't doesn't weren't aren't "
    "couldn't won't"
)
WORD = re.compile(r"[a-z]+(?:['-][a-z]+)?")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class ReviewItem:
    """One review, whatever it reviews: its id, stars, text and where it is shown."""

    pk: str
    rating: int
    text: str
    url: str


@dataclass(frozen=True)
class Quote:
    text: str
    url: str
    rating: int
    score: int


@dataclass
class Theme:
    name: str
    positive: int = 0  # reviews with a positive sentence on the theme
    negative: int = 0
    pros: list[Quote] = field(default_factory=list)
    cons: list[Quote] = field(default_factory=list)


@dataclass
class Summary:
    subject: str
    count: int
    average: float | None
    enough: bool
    themes: list[Theme] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def sentiment(sentence: str) -> int:
    """Lexicon score: +1 per positive word, -1 per negative; a negation in the three words
    before a word flips it ("not slow" is positive)."""
    words = WORD.findall(sentence.lower())
    score = 0
    for index, word in enumerate(words):
        value = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if value and NEGATIONS.intersection(words[max(0, index - 3) : index]):
            value = -value
        score += value
    return score


def themes_of(sentence: str) -> list[str]:
    words = WORD.findall(sentence.lower().replace("low end", "low-end"))
    return [
        name
        for name, stems in THEMES.items()
        if any(word.startswith(stem) for word in words for stem in stems)
    ]


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1].rstrip() + "…"


def summarise(subject: str, items: list[ReviewItem]) -> Summary:
    """Themes with counts and the strongest quotes; themes nobody mentions are left out."""
    rated = [i.rating for i in items]
    summary = Summary(
        subject=subject,
        count=len(items),
        average=round(sum(rated) / len(rated), 2) if rated else None,
        enough=len(items) >= settings.ASSISTANT_REVIEWS_MIN,
    )
    if not summary.enough:
        return summary
    themes = {name: Theme(name) for name in THEMES}
    for item in items:
        seen: dict[str, set[int]] = {}
        for sentence in sentences(item.text):
            score = sentiment(sentence)
            if not score:
                continue
            for name in themes_of(sentence):
                theme = themes[name]
                quote = Quote(text=_clip(sentence), url=item.url, rating=item.rating, score=score)
                (theme.pros if score > 0 else theme.cons).append(quote)
                seen.setdefault(name, set()).add(1 if score > 0 else -1)
        for name, signs in seen.items():
            themes[name].positive += 1 in signs
            themes[name].negative += -1 in signs
    for theme in themes.values():
        theme.pros = sorted(theme.pros, key=lambda q: (-q.score, -q.rating))[:QUOTES_PER_SIDE]
        theme.cons = sorted(theme.cons, key=lambda q: (q.score, q.rating))[:QUOTES_PER_SIDE]
    summary.themes = sorted(
        (t for t in themes.values() if t.positive or t.negative),
        key=lambda t: (-(t.positive + t.negative), t.name),
    )
    return summary


def studio_items(studio: Studio) -> list[ReviewItem]:
    """The clients' reviews of the studio, each linked to its place on the studio's page."""
    page = reverse("studios:studio", args=[studio.pk])
    reviews = Review.objects.filter(booking__room__studio=studio, side=ReviewSide.CLIENT)
    return [
        ReviewItem(pk=str(r.pk), rating=r.rating, text=r.text, url=f"{page}#review-{r.pk}")
        for r in reviews.order_by("-created_at")[: settings.ASSISTANT_REVIEWS_MAX_READ]
    ]


def engineer_items(profile: EngineerProfile) -> list[ReviewItem]:
    """The engineer's rated, completed orders, each linked to its place on the public page."""
    page = reverse("orders:engineer", args=[profile.pk])
    orders = engineer_reviews(profile, limit=settings.ASSISTANT_REVIEWS_MAX_READ)
    return [
        ReviewItem(pk=str(o.pk), rating=o.rating, text=o.review, url=f"{page}#review-{o.pk}")
        for o in orders
    ]


def draft(summary: Summary) -> str:
    """The offline wording: counts and themes; quotes are shown beside it, in quotation marks."""
    if not summary.enough:
        return (
            f"There are {summary.count} review{'s' if summary.count != 1 else ''} so far; a "
            f"summary needs at least {settings.ASSISTANT_REVIEWS_MIN}."
        )
    lines = [f"From {summary.count} reviews (average {summary.average} of 5):"]
    if not summary.themes:
        lines.append("the reviews name no particular theme.")
    for theme in summary.themes:
        lines.append(f"{theme.name}: {theme.positive} positive, {theme.negative} negative.")
    return " ".join(lines)


def facts(summary: Summary) -> dict:
    """Counts computed here; quotes are marked as quoted review text (data, never instructions)."""
    return {
        "subject": summary.subject,
        "count": summary.count,
        "average": summary.average,
        "enough": summary.enough,
        "themes": [
            {
                "name": t.name,
                "positive": t.positive,
                "negative": t.negative,
                "pros": [{"quoted_review_text": q.text, "url": q.url} for q in t.pros],
                "cons": [{"quoted_review_text": q.text, "url": q.url} for q in t.cons],
            }
            for t in summary.themes
        ],
    }


def sources(summary: Summary) -> list[dict]:
    """Every quoted review, linked."""
    found: dict[str, dict] = {}
    for theme in summary.themes:
        for quote in [*theme.pros, *theme.cons]:
            found.setdefault(
                quote.url,
                {"title": f"A {quote.rating}-star review", "url": quote.url, "detail": quote.text},
            )
    return list(found.values())


def studio_answer(studio: Studio) -> Answer:
    summary = summarise("studio", studio_items(studio))
    return Answer(text=draft(summary), sources=sources(summary), data=facts(summary))


def engineer_answer(profile: EngineerProfile) -> Answer:
    summary = summarise("engineer", engineer_items(profile))
    return Answer(text=draft(summary), sources=sources(summary), data=facts(summary))
