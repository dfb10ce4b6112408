"""Reference mode's dynamics match: a slow leveler that narrows the mix's loudness range toward
the reference's.

The chain's compressor (tens of milliseconds) and the limiter shape peaks; how far the quiet
sections sit under the loud ones (EBU loudness range, LRA) is left as the mix has it. When
asked, quiet sections are raised along the short-term loudness (3 s windows), with a ratio that
brings the range to the reference's: only narrowing (raising a quiet intro is what a mastering
engineer rides; pushing sections down to widen a range is not), at most MAX_RATIO, at most
MAX_BOOST_DB anywhere, and nothing for sections the range does not count (over 20 LU down).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from masterbus.engine.meter import ABSOLUTE_GATE, Loudness, energy_to_lufs
from masterbus.engine.settings import MasterSettings

MAX_RATIO = 3.0
MAX_BOOST_DB = 9.0
MIN_GAP_LU = 0.5  # ranges closer than this are left alone


@dataclass
class Leveler:
    """Per 100 ms step gains (dB) for one signal, applied block by block in order."""

    gains_db: np.ndarray
    step: int
    ratio: float
    input_lra: float
    reference_lra: float

    def run(self, x: np.ndarray, start: int) -> np.ndarray:
        """Scale frames ``start ..`` of the signal (the block ``x``, all channels) in place."""
        frames = start + np.arange(x.shape[1])
        centres = (np.arange(len(self.gains_db)) + 0.5) * self.step
        gain = np.interp(frames, centres, self.gains_db)
        x *= (10 ** (gain / 20)).astype(np.float32)
        return x

    def stage(self) -> dict:
        """The report's entry (inside the EQ stage)."""
        return {
            "input_lra_lu": round(self.input_lra, 2),
            "reference_lra_lu": round(self.reference_lra, 2),
            "ratio": round(self.ratio, 2),
            "max_boost_db": round(float(self.gains_db.max()), 2),
        }


def design(loud: Loudness, reference_lra: float | None, settings: MasterSettings) -> Leveler | None:
    """The leveler that narrows the range of the mix (``loud``, before the EQ) toward
    ``reference_lra``; None unless asked for, or when the mix is already as narrow."""
    amount = settings.reference_amount / 100
    if not settings.match_dynamics or reference_lra is None or amount <= 0:
        return None
    mix_lra = loud.loudness_range()
    if mix_lra <= reference_lra + MIN_GAP_LU:
        return None
    ratio = 1 + (min(MAX_RATIO, mix_lra / max(reference_lra, 1.0)) - 1) * amount
    short = loud.short_term()
    if len(short) == 0:
        return None
    audible = short[short > ABSOLUTE_GATE]
    if len(audible) == 0:
        return None
    # the range counts sections within 20 LU of the mean (EBU Tech 3342); quieter ones (a sparse
    # intro, fades) are not part of it and are left where they are
    gate = float(energy_to_lufs((10 ** ((audible + 0.691) / 10)).mean())) - 20.0
    counted = audible[audible > gate]
    top = float(np.percentile(counted, 95))
    under = np.clip(top - short, 0.0, None)
    gains = np.minimum(under * (1 - 1 / ratio), MAX_BOOST_DB)
    gains[short <= gate] = 0.0
    # a short-term value covers 30 steps: give it to the step at its window's centre
    steps = len(loud.steps)
    per_step = np.interp(np.arange(steps), np.arange(len(short)) + 15, gains)
    # one second of smoothing so that no gain moves faster than the music's phrasing
    kernel = np.ones(10) / 10
    padded = np.concatenate([np.full(5, per_step[0]), per_step, np.full(4, per_step[-1])])
    per_step = np.convolve(padded, kernel, mode="valid")
    return Leveler(per_step, loud.step, ratio, mix_lra, reference_lra)
