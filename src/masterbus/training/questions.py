"""What each question asks, drawn from a seed, and how an answer is graded.

Scoring (0..1, partial credit):

- frequency: ``max(0, 1 - d / 2)`` where ``d`` is the distance in octaves between the band
  chosen and the band changed (at difficulty 5, the boosted one of two changed bands): exact 1,
  a third-octave off 0.83, an octave off 0.5, two or more octaves off 0.
- match the EQ: 0.6 of the same frequency rule on the frequency set, plus 0.4 of
  ``max(0, 1 - |gain error| / 6 dB)``.
- level and stereo width: ``max(0, 1 - steps / 2)`` where ``steps`` counts choices between the
  chosen and the true value: the neighbour earns 0.5.
- compression: the right clip earns 1 (0.5 when the right clip is named with the wrong
  strength, at difficulty 3 and up); the wrong clip 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from masterbus.training.models import Kind

OCTAVES = (63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000)
THIRDS = (
    40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
    2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000,
)  # fmt: skip
# frequency: (bands, gain dB, what changes, Q); "pair": one band boosted (the answer) and
# another, at least an octave away, cut by as much
FREQUENCY = {
    1: (OCTAVES[1:8], 12.0, "boost", 1.4),
    2: (OCTAVES, 9.0, "boost", 1.4),
    3: (OCTAVES, 9.0, "either", 1.4),
    4: (THIRDS[4:26], 8.0, "either", 4.3),
    5: (THIRDS, 6.0, "pair", 4.3),
}
LEVEL_STEP_DB = {1: 3.0, 2: 2.0, 3: 1.0, 4: 0.5, 5: 0.25}
LEVEL_STEPS = 3  # choices from -3 to +3 steps
WIDTH_CHOICES = {
    1: (0, 100, 200),
    2: (50, 100, 150),
    3: (50, 75, 100, 125, 150),
    4: (70, 85, 100, 115, 130),
    5: (80, 90, 100, 110, 120),
}
# compression: (gentle, heavy) as (ratio, threshold below the band's level dB)
COMPRESSION = {
    1: ((8.0, 14.0), (8.0, 14.0)),
    2: ((5.0, 10.0), (5.0, 10.0)),
    3: ((2.0, 4.0), (8.0, 14.0)),
    4: ((2.0, 3.0), (5.0, 10.0)),
    5: ((1.6, 2.0), (3.0, 7.0)),
}
MATCH = {1: (12.0, False, 1.4), 2: (9.0, False, 1.4), 3: (9.0, True, 1.4), 4: (6.0, True, 2.0),
         5: (4.0, True, 2.9)}  # fmt: skip
MATCH_RANGE_HZ = (80.0, 10000.0)
GAIN_RANGE_DB = 15.0


@dataclass
class Question:
    prompt: str
    choices: list[dict]
    params: dict  # the secret, including "answer"
    band_hz: float | None = None
    labels: list[str] = field(default_factory=lambda: ["A", "B"])


def hz_label(hz: float) -> str:
    return f"{hz / 1000:g} kHz" if hz >= 1000 else f"{hz:g} Hz"


def _frequency(rng: np.random.Generator, difficulty: int) -> Question:
    bands, gain, mode, q = FREQUENCY[difficulty]
    picked = bands[int(rng.integers(len(bands)))]
    band = float(picked)
    sign = -1.0 if mode == "either" and rng.random() < 0.5 else 1.0
    params = {"band_hz": band, "gain_db": sign * gain, "q": q, "answer": str(picked)}
    prompt = f"B is A with one band {'boosted or cut' if mode == 'either' else 'boosted'}. "
    prompt += "Which band?"
    if mode == "pair":
        decoys = [b for b in bands if abs(math.log2(b / band)) >= 1]
        params["decoy_hz"] = float(decoys[int(rng.integers(len(decoys)))])
        prompt = "B is A with two bands changed: one boosted, one cut. Which band was boosted?"
    return Question(
        prompt=prompt,
        choices=[{"value": str(b), "label": hz_label(b)} for b in bands],
        params=params,
        band_hz=band,
        labels=["A: original", "B: equalised"],
    )


def _level(rng: np.random.Generator, difficulty: int) -> Question:
    step = LEVEL_STEP_DB[difficulty]
    values = [round(k * step, 2) for k in range(-LEVEL_STEPS, LEVEL_STEPS + 1)]
    delta = values[int(rng.integers(len(values)))]
    return Question(
        prompt="How much louder (or quieter) is B than A?",
        choices=[{"value": f"{v:g}", "label": f"{v:+g} dB" if v else "the same"} for v in values],
        params={"delta_db": delta, "answer": f"{delta:g}", "values": values},
    )


def _compression(rng: np.random.Generator, difficulty: int) -> Question:
    gentle, heavy = COMPRESSION[difficulty]
    clip = "A" if rng.random() < 0.5 else "B"
    strength = "heavy" if rng.random() < 0.5 else "gentle"
    ratio, depth = heavy if strength == "heavy" else gentle
    if gentle == heavy:  # only "which clip" at difficulty 1 and 2
        choices = [{"value": c, "label": f"{c} is compressed"} for c in ("A", "B")]
        answer = clip
    else:
        choices = [
            {"value": f"{c}-{s}", "label": f"{c}, {s}ly compressed"}
            for c in ("A", "B")
            for s in ("gentle", "heavy")
        ]
        answer = f"{clip}-{strength}"
    return Question(
        prompt="One clip is compressed (both play at the same loudness). Which one?",
        choices=choices,
        params={"clip": clip, "ratio": ratio, "depth_db": depth, "answer": answer},
    )


def _width(rng: np.random.Generator, difficulty: int) -> Question:
    values = WIDTH_CHOICES[difficulty]
    width = values[int(rng.integers(len(values)))]
    return Question(
        prompt="B is A with its stereo width changed (same loudness). How wide is B?",
        choices=[{"value": str(v), "label": "mono" if v == 0 else f"{v} %"} for v in values],
        params={"width_percent": width, "answer": str(width), "values": list(values)},
        labels=["A: original", "B: changed"],
    )


def _match(rng: np.random.Generator, difficulty: int) -> Question:
    gain, may_cut, q = MATCH[difficulty]
    lo, hi = (math.log2(f) for f in MATCH_RANGE_HZ)
    hz = float(f"{2 ** rng.uniform(lo, hi):.3g}")
    sign = -1.0 if may_cut and rng.random() < 0.5 else 1.0
    return Question(
        prompt="Move the band until your version sounds like the target, then submit.",
        choices=[],
        params={"band_hz": float(hz), "gain_db": sign * gain, "q": q, "answer": f"{hz:g}"},
        band_hz=float(hz),
        labels=["Target", "Yours"],
    )


DESIGNERS = {
    Kind.FREQUENCY: _frequency,
    Kind.LEVEL: _level,
    Kind.COMPRESSION: _compression,
    Kind.WIDTH: _width,
    Kind.MATCH_EQ: _match,
}


def design(kind: str, difficulty: int, seed: int) -> Question:
    return DESIGNERS[Kind(kind)](np.random.default_rng(seed), difficulty)


def _octave_credit(chosen_hz: float, true_hz: float) -> float:
    return max(0.0, 1.0 - abs(math.log2(chosen_hz / true_hz)) / 2.0)


def _step_credit(values: list, chosen: float, true: float) -> float:
    steps = abs(values.index(chosen) - values.index(true))
    return max(0.0, 1.0 - steps / 2.0)


def grade(kind: str, params: dict, response: dict) -> float:
    """The score of a validated response (see the module's docstring for the rules)."""
    if kind == Kind.MATCH_EQ:
        frequency = _octave_credit(response["frequency_hz"], params["band_hz"])
        gain = max(0.0, 1.0 - abs(response["gain_db"] - params["gain_db"]) / 6.0)
        return round(0.6 * frequency + 0.4 * gain, 4)
    choice = response["choice"]
    if kind == Kind.FREQUENCY:
        return round(_octave_credit(float(choice), params["band_hz"]), 4)
    if kind == Kind.LEVEL:
        return _step_credit(params["values"], float(choice), params["delta_db"])
    if kind == Kind.WIDTH:
        return _step_credit(params["values"], int(choice), params["width_percent"])
    if choice == params["answer"]:
        return 1.0
    return 0.5 if choice.split("-")[0] == params["clip"] else 0.0
