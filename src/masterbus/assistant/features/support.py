"""Feature 5, the support chat: answers from our own help pages and policies (BM25 over their
sections, support_corpus), the asking user's own orders, bookings and masters (read-only, only
theirs), and a hand-over to a support ticket (P26) when the retrieval is unsure.

The only data tools are the three lookups below; each filters by the asking user before anything
else, so no wording of a question (an id, "show all orders", an instruction) reaches another
person's rows.
"""

from __future__ import annotations

import math
import re
import uuid
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from masterbus.accounts.owner import Owner
from masterbus.assistant.answers import Answer
from masterbus.assistant.features.support_corpus import Section, sections
from masterbus.mastering.models import Job
from masterbus.orders.models import Order
from masterbus.studios.models import Booking

WORD = re.compile(r"[a-z0-9]+")
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
STOPWORDS = frozenset(
    str.split(
        "a an and are as at be by can do does for from how i if in is it me my of on or our "
        "so that the their them there this to was we what when where which who why will with "
        "you your use used using get work works have has please tell need want know any about "
        "would should could"
    )
)
K1, B = 1.5, 0.75
LOOKUP_LIMIT = 5
SOURCES_SHOWN = 3
MIN_COVERAGE = 0.6
OWN = re.compile(r"\b(my|mine|status)\b")
ORDER_WORDS = re.compile(r"\b(orders?|engineers?|mix(es)?|deliver(y|ed|ies)?|revisions?)\b")
BOOKING_WORDS = re.compile(r"\b(bookings?|booked|sessions?|studios?|rooms?)\b")
JOB_WORDS = re.compile(r"\b(masters?|mastering|songs?|tracks?|jobs?)\b")


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def terms(text: str) -> list[str]:
    return [_stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS]


@dataclass(frozen=True)
class Hit:
    section: Section
    score: float
    coverage: float  # the share of the question's words the section holds

    @property
    def sure(self) -> bool:
        """Enough weight and most of the question's words: else a person should answer."""
        return self.score >= settings.ASSISTANT_SUPPORT_MIN_SCORE and self.coverage >= MIN_COVERAGE


class Index:
    """Okapi BM25 over the sections; a section's title counts twice (questions are titles)."""

    def __init__(self, found: tuple[Section, ...]):
        self.sections = found
        self.docs = [Counter(terms(f"{s.title} {s.title} {s.page} {s.text}")) for s in found]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.average = sum(self.lengths) / max(len(self.docs), 1)
        frequency: Counter = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        count = len(self.docs)
        self.idf = {t: math.log((count - n + 0.5) / (n + 0.5) + 1) for t, n in frequency.items()}

    def search(self, question: str, *, limit: int = SOURCES_SHOWN) -> list[Hit]:
        wanted = set(terms(question))
        hits = []
        for section, doc, length in zip(self.sections, self.docs, self.lengths, strict=True):
            score, matched = 0.0, 0
            for term in wanted:
                tf = doc.get(term, 0)
                if tf:
                    norm = tf + K1 * (1 - B + B * length / self.average)
                    score += self.idf[term] * tf * (K1 + 1) / norm
                    matched += 1
            if score > 0:
                hits.append(Hit(section, round(score, 3), round(matched / len(wanted), 3)))
        return sorted(hits, key=lambda h: -h.score)[:limit]


_index: Index | None = None


def index() -> Index:
    global _index
    if _index is None or _index.sections is not sections():
        _index = Index(sections())
    return _index


@dataclass(frozen=True)
class Line:
    """One of the asking user's own things, as the answer lists it."""

    text: str
    url: str


def _wanted_id(question: str) -> uuid.UUID | None:
    match = UUID.search(question)
    return uuid.UUID(match.group(0)) if match else None


def _side(order: Order, user) -> str:
    return "you ordered it" if order.client_id == user.pk else "you are its engineer"


def own_orders(user, wanted: uuid.UUID | None) -> list[Line]:
    orders = Order.objects.filter(Q(client=user) | Q(engineer=user))
    if wanted:
        orders = orders.filter(pk=wanted)
    return [
        Line(
            f"Order “{o.title}” ({_side(o, user)}): {o.get_status_display()}",
            reverse("orders:order", args=[o.pk]),
        )
        for o in orders.order_by("-created_at")[:LOOKUP_LIMIT]
    ]


def own_bookings(user, wanted: uuid.UUID | None) -> list[Line]:
    bookings = Booking.objects.filter(Q(client=user) | Q(room__studio__owner=user))
    if wanted:
        bookings = bookings.filter(pk=wanted)
    return [
        Line(
            f"Booking of {b.room.name} at {b.room.studio.name} on "
            f"{b.starts_at.astimezone(b.room.studio.zone):%d %b %Y %H:%M}: "
            f"{b.get_status_display()}",
            reverse("studios:booking", args=[b.pk]),
        )
        for b in bookings.select_related("room__studio").order_by("-starts_at")[:LOOKUP_LIMIT]
    ]


def own_masters(user, wanted: uuid.UUID | None) -> list[Line]:
    jobs = Job.objects.for_owner(Owner(user=user, guest_key=None))
    if wanted:
        jobs = jobs.filter(Q(pk=wanted) | Q(song_id=wanted))
    return [
        Line(
            f"“{j.song.title}” version {j.number}: {j.get_status_display()}",
            reverse("mastering:song", args=[j.song_id]),
        )
        for j in jobs.select_related("song").order_by("-created_at")[:LOOKUP_LIMIT]
    ]


def lookups(user, question: str) -> list[tuple[str, list[Line]]]:
    """The user's own things the question asks about: (what, lines) per kind asked."""
    lowered = question.lower()
    wanted = _wanted_id(question)
    if not wanted and not OWN.search(lowered):
        return []
    asked = []
    if ORDER_WORDS.search(lowered) or wanted:
        asked.append(("orders", own_orders(user, wanted)))
    if BOOKING_WORDS.search(lowered) or wanted:
        asked.append(("bookings", own_bookings(user, wanted)))
    if JOB_WORDS.search(lowered) or wanted:
        asked.append(("masters", own_masters(user, wanted)))
    return asked


def answer(user, question: str) -> Answer:
    """Own things asked about first, then the best help section; unsure when neither holds."""
    question = question[: settings.ASSISTANT_MAX_INPUT_CHARS]
    hits = index().search(question)
    # The best-scoring section that holds most of the question's words: a short section that
    # matches one rare word may outscore it, and is then listed after it, not answered with.
    best = next((h for h in hits if h.sure), hits[0] if hits else None)
    hits = [best, *(h for h in hits if h is not best)] if best else hits
    found = lookups(user, question)
    parts: list[str] = []
    sources: list[dict] = []
    for kind, lines in found:
        if lines:
            parts.append(f"Your {kind}: " + "; ".join(line.text for line in lines) + ".")
            sources += [{"title": line.text, "url": line.url, "detail": "yours"} for line in lines]
        else:
            parts.append(
                f"I found no {kind} of yours"
                + (" with that number." if _wanted_id(question) else ".")
            )
    sure = best is not None and best.sure
    if sure:
        top = best.section
        parts.append(f"{top.title} ({top.page}): {top.text}")
    elif not found:
        parts.append(
            "I am not sure our help pages answer that. A person from the support team can: "
            "hand this conversation over as a support ticket."
        )
    sources += [
        {
            "title": h.section.title,
            "url": h.section.url,
            "detail": h.section.page,
            "score": h.score,
            "sure": h.sure,
        }
        for h in hits
    ]
    return Answer(
        text=" ".join(parts),
        sources=sources,
        data={
            "sure": sure or any(lines for _, lines in found),
            "best_score": best.score if best else 0.0,
            "best_coverage": best.coverage if best else 0.0,
            "threshold": settings.ASSISTANT_SUPPORT_MIN_SCORE,
            "looked_up": [kind for kind, _ in found],
        },
    )
