"""Reading feedback: which vocabulary terms a sentence names, and whether it wants more, less
or (negated) no change of each. Only the vocabulary is matched, so no other text (an
instruction typed into the feedback, say) can change what the assistant reads or does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from masterbus.assistant.vocabulary import (
    COMPARATIVES,
    HEDGES,
    LESS,
    MORE,
    NEGATIONS,
    Term,
    term_index,
)

CLAUSE_SPLIT = re.compile(r"[.;:!?\n]+|,|\b(?:and|but|while|although|though|also)\b")
WINDOW_WORDS = 4
# Words after which a person usually names a quality ("it is crunchy", "too crunchy").
DESCRIBED = re.compile(
    r"\b(?:is|are|sounds?|feels?|seems?|too|very|quite|rather|pretty|bit|little|so|really|"
    r"kinda|more|less)\s+([a-z][a-z'-]{2,})"
)
NOT_QUALITIES = frozenset(
    ("a", "an", "the", "it", "its", "this", "that", "my", "our", "your", "their", "too",
     "very", "quite", "rather", "more", "less", "much", "bit", "little", "so", "really", "not",
     "kind", "sort", "of", "just", "still", "also", "overall", "way", "there", "what", "like",
     "to", "be", "good", "great", "fine", "ok", "okay", "nice", "bad", "better", "worse",
     "perfect", "getting", "being", "done", "mixed", "mastered")
)  # fmt: skip


@dataclass(frozen=True)
class Mention:
    term: Term
    phrase: str  # the words it was read from
    direction: int  # -1 less of the quality, +1 more, 0 said not to be a problem
    weight: float  # hedges: "a bit" 0.5, "very" 1.5


@dataclass(frozen=True)
class Reading:
    mentions: tuple[Mention, ...]
    unknown: tuple[str, ...]


def _has(window: str, words) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", window) for word in words)


def _weight(window: str) -> float:
    found = [value for word, value in HEDGES.items() if re.search(rf"\b{word}\b", window)]
    return min(found) if any(v < 1 for v in found) else max(found, default=1.0)


def _direction(term: Term, form: str, before: str, after: str) -> int:
    more = _has(before, MORE) or form in COMPARATIVES or after.startswith("enough")
    negated = _has(before, NEGATIONS)
    if negated and (more or "enough" in after[:12]):
        return 1  # "not enough punch", "not bright enough"
    if negated:
        return 0
    if _has(before, LESS):
        return -1
    if more:
        return 1
    return -1 if term.bare_means_less else 1


def _found(clause: str) -> list[tuple[int, int, str, Term]]:
    """Terms in a clause, longest forms first, no overlaps, in reading order."""
    index = term_index()
    taken: list[tuple[int, int, str, Term]] = []
    for form in sorted(index, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(form)}\b", clause):
            start, end = match.span()
            if all(end <= s or start >= e for s, e, _, _ in taken):
                taken.append((start, end, form, index[form]))
    return sorted(taken, key=lambda item: item[0])


def _clause_mentions(clause: str) -> list[Mention]:
    found = _found(clause)
    mentions: list[Mention] = []
    places = [item for item in found if item[3].place]
    for start, end, form, term in found:
        words_before = clause[:start].split()[-WINDOW_WORDS:]
        before, after = " ".join(words_before), clause[end:].strip()
        direction = _direction(term, form, before, after)
        weight = _weight(before)
        phrase = " ".join([*words_before, clause[start:end]])
        if term.kind == "loudness" and places:
            # "the bass is too loud": less of the place, not a quieter master
            place = places[0][3]
            sign = -1 if term.amount < 0 else 1  # loud: less loud lowers, so "too loud" -> less
            mentions.append(Mention(place, phrase, direction * -sign, weight))
            continue
        if term.place and not (_has(before, MORE) or _has(before, LESS)):
            continue  # "the low end is muddy": a place for "muddy", no request of its own
        mentions.append(Mention(term, phrase, direction, weight))
    return mentions


def read_feedback(text: str) -> Reading:
    """The terms named in ``text``, each with its direction and weight; the quality-like words
    that are not in the vocabulary."""
    lowered = text.lower().replace("’", "'")
    mentions: list[Mention] = []
    for clause in CLAUSE_SPLIT.split(lowered):
        mentions += _clause_mentions(clause.strip())
    known = set(term_index()) | set(HEDGES) | set(MORE) | set(LESS) | set(NEGATIONS)
    unknown = []
    for word in DESCRIBED.findall(lowered):
        word = word.strip("'-")
        if word not in known and word not in NOT_QUALITIES and word not in unknown:
            unknown.append(word)
    return Reading(tuple(mentions), tuple(unknown[:10]))
