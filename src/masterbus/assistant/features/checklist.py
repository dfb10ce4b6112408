"""Feedback translation for engineer orders: the client's revision request and timed notes
become a checklist the engineer can work through (bands and typical amounts from the
vocabulary; the engineer has the session, so no settings are produced)."""

from __future__ import annotations

from masterbus.assistant.answers import Answer
from masterbus.assistant.wording import read_feedback

MAX_NOTES = 50


def _timecode(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _items(text: str, where: str) -> list[dict]:
    items = []
    reading = read_feedback(text)
    for mention in reading.mentions:
        term = mention.term
        if mention.direction == 0:
            continue
        less = mention.direction < 0
        if term.kind == "eq":
            moves = ", ".join(
                f"{'cut' if g * (1 if less else -1) < 0 else 'boost'} about "
                f"{abs(g) * mention.weight:g} dB near {f:g} Hz"
                for f, g in term.moves
            )
            action = f"{moves} ({term.why})"
        elif term.kind == "width":
            action = f"{'narrow' if (term.amount < 0) == less else 'widen'} the stereo image"
        elif term.kind == "dynamics":
            gentler = (term.amount < 0) == less
            action = f"{'ease' if gentler else 'add'} compression/limiting ({term.why})"
        else:
            action = f"{'lower' if (term.amount < 0) == less else 'raise'} the loudness"
        items.append({"where": where, "said": mention.phrase, "action": action})
    for word in reading.unknown:
        items.append({"where": where, "said": word, "action": "ask the client what they mean"})
    return items


def checklist_answer(*, order, request_text: str, notes) -> Answer:
    """The checklist for an order's latest revision request (the engineer's view)."""
    items = _items(request_text, "whole track") if request_text else []
    for note in list(notes)[:MAX_NOTES]:
        items += _items(note.text, f"at {_timecode(note.at_seconds)}")
    if items:
        lines = [f"Revision checklist for {order.title}:"]
        lines += [f"- [{i['where']}] “{i['said']}”: {i['action']}" for i in items]
    else:
        lines = [f"No sound description to translate in the revision notes of {order.title}."]
    sources = [
        {"title": f"{order.title}: revision request and notes", "kind": "order"},
        {"title": "Audio terms vocabulary (public glossaries)", "kind": "vocabulary"},
    ]
    return Answer(text="\n".join(lines), sources=sources, data={"items": items})
