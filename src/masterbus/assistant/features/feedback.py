"""Feature 1: feedback translation that acts. A person's words about a master become concrete
changes (EQ bands and dB, width, intensity, loudness target), each with its reason, sized by
the song's measured spectrum, and a settings dict for a one-click re-master.

The wording only selects vocabulary terms (assistant/wording.py); the numbers are computed here
from the vocabulary and the job's report, so the text cannot make it read or do anything else.
"""

from __future__ import annotations

import dataclasses
import math

from masterbus.assistant.answers import Answer
from masterbus.assistant.measures import band_deviation, loudness_change
from masterbus.assistant.wording import Mention, read_feedback
from masterbus.engine import EngineError, MasterSettings

MAX_DB = 6.0  # the engine's bound per move
MAX_MOVES = 6
WIDTH_RANGE = (50.0, 150.0)
INTENSITY_RANGE = (0.0, 100.0)
TARGET_RANGE = (-20.0, -7.0)


def engine_takes_moves() -> bool:
    """The engine's settings have the listener's EQ moves and width (a re-master can use them)."""
    names = {f.name for f in dataclasses.fields(MasterSettings)}
    return {"eq_adjust", "width"} <= names


def _half_db(value: float) -> float:
    return math.copysign(math.floor(abs(value) * 2 + 0.5) / 2, value) + 0.0


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _eq_changes(mention: Mention, report: dict, style: str) -> list[dict]:
    """A term's moves for this song: more cut where the band measures too strong, a gentler
    one where it is already below the target (and the same for boosts)."""
    changes = []
    for centre, gain in mention.term.moves:
        gain = gain * -mention.direction * mention.weight  # moves are for "less"
        deviation = band_deviation(report.get("output") or {}, style, centre)
        if deviation is None:
            reason = f"{mention.term.why}; no measurement there, so the typical amount"
        elif (gain < 0 and deviation > 0.5) or (gain > 0 and deviation < -0.5):
            gain += math.copysign(min(abs(deviation) * 0.5, 2.0), gain)
            side = "above" if deviation > 0 else "below"
            reason = (
                f"{mention.term.why}; your master measures {abs(deviation):.1f} dB {side} "
                "the target there, so a little more"
            )
        elif abs(deviation) > 2.0:
            gain *= 0.75
            side = "above" if deviation > 0 else "below"
            reason = (
                f"{mention.term.why}; your master already measures {abs(deviation):.1f} dB "
                f"{side} the target there, so a gentle change"
            )
        else:
            reason = f"{mention.term.why}; your master measures close to the target there"
        gain = _half_db(_clip(gain, -MAX_DB, MAX_DB))
        if gain:
            changes.append(
                {
                    "kind": "eq",
                    "term": mention.term.name,
                    "freq_hz": centre,
                    "gain_db": gain,
                    "measured_db": deviation,
                    "floor_db": MIN_NET_DB * min(mention.weight, 1.0),
                    "label": f"{'Cut' if gain < 0 else 'Boost'} {abs(gain):g} dB around "
                    f"{centre:g} Hz",
                    "reason": reason,
                }
            )
    return changes


# What a listener notices: each asked-for band change is sized to end at least this far ("a bit":
# half of it).
MIN_NET_DB = 1.5
# The master's band compression evens out part of any EQ change: measured on our test songs,
# about 60 % of a move survives at intensity 50 (one minus 0.8 times the intensity fraction).
CHAIN_KEEPS_PER_INTENSITY = 0.8


def _net_of_chain(changes: list[dict], report: dict, intensity: float) -> None:
    """Size the moves for what is heard in the new master: the make-up gain back to the
    loudness target lifts every band a little after a cut, and the compression keeps only part
    of a move. A move that would end under MIN_NET_DB is deepened (within the engine's bound),
    and each change says its expected net effect."""
    eq_changes = [c for c in changes if c["kind"] == "eq"]
    output = report.get("output") or {}
    keeps = 1.0 - CHAIN_KEEPS_PER_INTENSITY * intensity / 100
    for _ in range(4):
        change = loudness_change(output, [(c["freq_hz"], c["gain_db"]) for c in eq_changes])
        if change is None:
            return
        makeup = -change
        short = [c for c in eq_changes if abs((c["gain_db"] + makeup) * keeps) < c["floor_db"]]
        for c in short:
            wanted = math.copysign(c["floor_db"], c["gain_db"]) / keeps - makeup
            c["gain_db"] = _half_db(_clip(wanted, -MAX_DB, MAX_DB))
            c["sized_up"] = True
        if not short:
            break
    for c in eq_changes:
        c["net_db"] = round((c["gain_db"] + makeup) * keeps, 1)
        c["label"] = f"{'Cut' if c['gain_db'] < 0 else 'Boost'} {abs(c['gain_db']):g} dB around "
        c["label"] += f"{c['freq_hz']:g} Hz"
        if c.pop("sized_up", False):
            c["reason"] = c["reason"].replace(", so a gentle change", "")
            c["reason"] += "; made deep enough to be heard in the new master"
        c["reason"] += (
            f"; expect about {abs(c['net_db']):.1f} dB {'less' if c['net_db'] < 0 else 'more'} "
            "there in the new master, once it is back at its loudness target and through its "
            "compression"
        )


def _merged_moves(previous, changes: list[dict]) -> list[list[float]]:
    """The previous version's moves plus the new ones (same centre: added), bounded."""
    moves: dict[float, float] = {}
    for centre, gain in previous or ():
        moves[float(centre)] = float(gain)
    for change in changes:
        centre = float(change["freq_hz"])
        moves[centre] = _clip(moves.get(centre, 0.0) + change["gain_db"], -MAX_DB, MAX_DB)
    kept = sorted(moves.items(), key=lambda item: -abs(item[1]))[:MAX_MOVES]
    return [[centre, gain] for centre, gain in sorted(kept) if gain]


def _other_change(mention: Mention, settings: dict, report: dict) -> dict | None:
    term, step = mention.term, mention.term.amount * -mention.direction * mention.weight
    output = report.get("output") or {}
    if term.kind == "width":
        before = float(settings.get("width", 100.0))
        measured = output.get("width")
        if step > 0 and measured is not None and measured > 0.6:
            step *= 0.5
        value = _clip(round(before + step), *WIDTH_RANGE)
        note = f" (the master's side/mid energy measures {measured:.2f})" if measured else ""
        return {"kind": "width", "term": term.name, "from": before, "to": value,
                "label": f"Stereo width {before:g} % to {value:g} %",
                "reason": f"{term.why}{note}; the low end stays mono"}  # fmt: skip
    if term.kind == "dynamics":
        before = float(settings.get("intensity", 50.0))
        value = _clip(round(before + step), *INTENSITY_RANGE)
        plr = output.get("plr_db")
        note = f"; the master's peak-to-loudness ratio is {plr:.1f} dB" if plr else ""
        return {"kind": "intensity", "term": term.name, "from": before, "to": value,
                "label": f"Intensity {before:g} to {value:g}",
                "reason": f"{term.why}{note}"}  # fmt: skip
    if term.kind == "loudness":
        before = settings.get("target_lufs")
        before = float(before if before is not None else output.get("integrated_lufs") or -14)
        value = _clip(round(before + step, 1), *TARGET_RANGE)
        note = "; louder means the limiter works harder (less punch)" if value > before else ""
        return {"kind": "loudness", "term": term.name, "from": before, "to": value,
                "label": f"Loudness target {before:g} to {value:g} LUFS",
                "reason": f"{term.why}{note}"}  # fmt: skip
    return None


def proposal(text: str, *, job_settings: dict, report: dict) -> dict:
    """The changes the words ask for on this version, and the settings of the re-master."""
    reading = read_feedback(text)
    style = job_settings.get("style", "balanced")
    changes: list[dict] = []
    negated: list[str] = []
    for mention in reading.mentions:
        if mention.direction == 0:
            negated.append(mention.term.name)
            continue
        if mention.term.moves:
            changes += _eq_changes(mention, report, style)
        other = _other_change(mention, job_settings, report)
        if other is not None:
            changes = [c for c in changes if c["kind"] != other["kind"]] + [other]
    intensity = next(
        (c["to"] for c in changes if c["kind"] == "intensity"), job_settings.get("intensity", 50)
    )
    _net_of_chain(changes, report, float(intensity))
    fields = {f.name for f in dataclasses.fields(MasterSettings)}
    settings = {k: v for k, v in job_settings.items() if k in fields}
    eq_changes = [c for c in changes if c["kind"] == "eq"]
    if eq_changes and "eq_adjust" in fields:
        settings["eq_adjust"] = _merged_moves(settings.get("eq_adjust"), eq_changes)
    for change in changes:
        key = {"width": "width", "intensity": "intensity", "loudness": "target_lufs"}.get(
            change["kind"]
        )
        if key and (key in fields):
            settings[key] = change["to"]
    remaster = bool(changes) and engine_takes_moves()
    if remaster:
        try:
            settings = MasterSettings(**settings).to_dict()
        except (EngineError, TypeError):
            remaster = False
    return {
        "changes": changes,
        "negated": negated,
        "unknown": list(reading.unknown),
        "understood": [m.phrase for m in reading.mentions],
        "settings": settings if remaster else None,
    }


def feedback_answer(text: str, *, song, job) -> Answer:
    """The explained proposal for one version of the user's song."""
    data = proposal(text, job_settings=job.settings or {}, report=job.report or {})
    lines = []
    if data["changes"]:
        lines.append(f"For version {job.number} of {song.title}, I propose:")
        lines += [f"- {c['label']}: {c['reason']}." for c in data["changes"]]
    for name in data["negated"]:
        lines.append(f"You said it is not {name}: nothing changes there.")
    if data["unknown"]:
        words = ", ".join(f"“{w}”" for w in data["unknown"])
        lines.append(
            f"I do not know how to translate {words} into a change yet; describe it with other "
            "words (muddy, harsh, thin, wider...) or ask support."
        )
    if not data["changes"] and not data["negated"] and not data["unknown"]:
        lines.append(
            "I found no description of the sound to act on. Try words like muddy, boomy, harsh, "
            "dull, thin, more punch, too squashed, wider or louder, or ask support."
        )
    sources = [
        {"title": f"{song.title}, version {job.number}: measured spectrum and loudness",
         "kind": "measurement"},
        {"title": "Audio terms vocabulary (public glossaries)", "kind": "vocabulary"},
    ]  # fmt: skip
    facts = {
        "song": song.title,
        "version": job.number,
        "changes": [
            {k: c[k] for k in ("label", "reason", "freq_hz", "gain_db", "from", "to") if k in c}
            for c in data["changes"]
        ],
    }
    return Answer(text="\n".join(lines), sources=sources, data={**facts, "proposal": data})
