"""The shaping stages of the chain, in mid/side: subsonic high-pass and tonal EQ (toward a style
curve or a reference), then three-band compression with stereo width and mono-safe bass.

Each stage has a ``*_design`` (what to do, from the analysis; shared with ``blockwise``) and an
``apply_*`` that runs it in place on an in-memory signal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from masterbus.engine import eq, filters
from masterbus.engine.kernels import biquads, dynamics
from masterbus.engine.meter import Loudness
from masterbus.engine.settings import MasterSettings

if TYPE_CHECKING:
    # reference mode's module loads scipy.fft (~0.16 s): imported where reference mode runs,
    # so a style master (and the CLI's start-up) never pays for it
    from masterbus.engine import matching

CROSSOVER_LOW_HZ = 120.0
CROSSOVER_HIGH_HZ = 2500.0
CONTROL_FRAMES = 32
# Compression per band: (ratio at full intensity, attack s, release s) for mid; side is gentler.
BANDS = (
    ("low", 2.5, 0.025, 0.25),
    ("mid", 2.0, 0.010, 0.15),
    ("high", 1.8, 0.004, 0.09),
)


@dataclass
class Reference:
    """What reference mode needs of the reference track."""

    loudness: float | None
    spectrum: dict
    loudness_range: float | None = None


def _band_levels(spectrum_db: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    power = 10 ** (spectrum_db / 10)
    edges = [(0, CROSSOVER_LOW_HZ), (CROSSOVER_LOW_HZ, CROSSOVER_HIGH_HZ), (CROSSOVER_HIGH_HZ, 1e9)]
    return np.array(
        [10 * math.log10(power[(freqs >= a) & (freqs < b)].sum() + 1e-20) for a, b in edges]
    )


def apply_eq(
    x: np.ndarray, fs: int, analysis: dict, settings: MasterSettings, reference: Reference | None
) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray]:
    """Fit and apply the tonal EQ in mid/side, in place; returns (x, stage, mid and side curves)."""
    excerpt = None
    level = None
    if reference is not None:
        from masterbus.engine import leveler, matching

        excerpt = matching.excerpt(lambda a, b: x[:, a:b], x.shape[1], fs)
        if settings.match_dynamics:
            level = leveler.design(Loudness.of(x, fs), reference.loudness_range, settings)
    bank, stage, mid_curve, side_curve, match = eq_design(
        x.shape[0], fs, analysis, settings, reference, excerpt
    )
    biquads.sos_filter(x, bank, x)
    if match is not None:
        match.convolver().run(x)
    if level is not None:
        level.run(x, 0)
        stage["loudness_range"] = level.stage()
    return x, stage, mid_curve, side_curve


def eq_design(
    nch: int,
    fs: int,
    analysis: dict,
    settings: MasterSettings,
    reference: Reference | None,
    excerpt: np.ndarray | None = None,
) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray, matching.Match | None]:
    """The tonal EQ in mid/side: (filter bank per channel, stage, mid and side curves, and in
    reference mode the matching FIR that follows the bank). With an ``excerpt`` of the mix (mid
    and side), reference mode also counters the tone change of compression and limiting."""
    spec = analysis["spectrum"]
    freqs = np.array(spec["freqs_hz"])
    match = None
    if reference is not None:
        from masterbus.engine import matching

        # the bank keeps only the subsonic (and ultrasonic) filters; the FIR does the matching
        match = matching.design(nch, fs, spec, reference.spectrum, settings)
        strength = settings.reference_amount / 100
        channels = [np.vstack(eq.guards(fs))] * nch
        mid_filters = side_filters = [matching.describe(fs)]
        source = "reference"
    else:
        strength = 0.8 * settings.intensity / 100
        # gentle settings also mean smaller moves: at most 2 dB at 0 %, 6 dB at 100 %
        limit = 2.0 + 4.0 * settings.intensity / 100
        target = eq.style_target(settings.style, freqs)
        want_mid = eq.correction(np.array(spec["mid_db"]), target, freqs, strength, limit)
        mid_sos, mid_filters = eq.fit(want_mid, freqs, fs)
        channels = [mid_sos]
        side_filters = []
        if nch == 2:  # keep the stereo image: side follows mid
            channels.append(mid_sos)
            side_filters = mid_filters
        source = f"style:{settings.style}"
    moves, adjusted = eq.adjust(settings.eq_adjust, fs)
    if moves:  # the listener's moves after the style or matching curve, on mid and side alike
        channels = [np.vstack([c, *moves]) for c in channels]
    count = max(len(c) for c in channels)
    count += count % 2
    bank = np.stack(
        [np.vstack([c] + [filters.IDENTITY] * (count - len(c))) for c in channels]
    ).astype(np.float64)
    bank = np.ascontiguousarray(bank)
    if match is not None and excerpt is not None:
        match = _counter_the_chain(match, bank, excerpt, fs, analysis, settings, reference)
    mid_curve = filters.response_db(channels[0], freqs, fs)
    side_curve = filters.response_db(channels[-1], freqs, fs)
    if match is not None:
        mid_curve = mid_curve + match.curves[0]
        side_curve = side_curve + match.curves[-1]
    stage = {
        "name": "eq",
        "target": source,
        "strength": round(strength, 2),
        "subsonic_highpass_hz": eq.SUBSONIC_HZ,
        "freqs_hz": [float(f) for f in freqs],
        "mid": {"filters": mid_filters, "curve_db": [round(float(v), 2) for v in mid_curve]},
    }
    if adjusted:
        stage["adjust"] = adjusted
    if nch == 2:
        stage["side"] = {
            "filters": side_filters,
            "curve_db": [round(float(v), 2) for v in side_curve],
        }
    return bank, stage, mid_curve, side_curve, match


def _counter_the_chain(
    match: matching.Match,
    bank: np.ndarray,
    excerpt: np.ndarray,
    fs: int,
    analysis: dict,
    settings: MasterSettings,
    reference: Reference,
) -> matching.Match:
    """The matching EQ redesigned to counter the tone change the later stages add."""
    from masterbus.engine import matching

    nch = excerpt.shape[0]
    # the limiter's aim, as chain.decide_target picks it (close enough for measuring tone)
    target = settings.target_lufs or reference.loudness or -14.0
    probe = matching.Probe(
        excerpt,
        bank,
        lambda curves: dynamics_design(nch, fs, analysis, settings, curves, []),
        lambda: dynamics.multiband_state(nch),
        min(-5.0, max(-40.0, target)),
        settings.ceiling_dbtp,
    )
    for _ in range(matching.PROBE_ROUNDS):
        effect = matching.chain_effect(match, probe, fs)
        match = matching.design(nch, fs, analysis["spectrum"], reference.spectrum, settings, effect)
    return match


@dataclass
class Dynamics:
    """The three-band M/S compressor's settings for one signal (see ``dynamics_design``)."""

    lo: np.ndarray
    hi: np.ndarray
    thresh: np.ndarray
    ratio: np.ndarray
    attack: np.ndarray
    release: np.ndarray
    scale: np.ndarray
    amount: float
    width: float
    side_bass: float
    width_percent: float = 100.0  # the listener's, applied after compression by ``Widener``

    def run(self, x: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Compress ``x`` (mid/side) in place, continuing from ``state``; the gain reduction."""
        return dynamics.multiband_compress(
            x, self.lo, self.hi, self.thresh, self.ratio, self.attack, self.release,
            self.scale, CONTROL_FRAMES, x, state,
        )  # fmt: skip

    def stages(self, mean: np.ndarray, top: np.ndarray) -> tuple[dict, dict]:
        """(compression, stereo) report stages from the gain reduction's mean and maximum
        (dB, per channel and band)."""
        names = ["mid", "side"]
        bands = []
        for b, (name, _r, a, r) in enumerate(BANDS):
            entry: dict = {"band": name, "attack_ms": a * 1000, "release_ms": r * 1000}
            for c in range(self.thresh.shape[0]):
                entry[names[c]] = {
                    "threshold_db": round(float(self.thresh[c, b]), 2),
                    "ratio": round(float(self.ratio[c, b]), 2),
                    "gain_reduction_mean_db": round(float(mean[c, b]), 2),
                    "gain_reduction_max_db": round(float(top[c, b]), 2),
                }
            bands.append(entry)
        compression = {
            "name": "multiband_compression",
            "crossovers_hz": [CROSSOVER_LOW_HZ, CROSSOVER_HIGH_HZ],
            "amount": round(self.amount, 2),
            "bands": bands,
        }
        stereo = {
            "name": "stereo",
            "width": round(self.width, 3),
            "width_percent": self.width_percent,
            "mono_bass_below_hz": CROSSOVER_LOW_HZ,
            "side_bass_gain_db": round(20 * math.log10(max(self.side_bass, 1e-6)), 2),
        }
        return compression, stereo


def apply_dynamics(
    x: np.ndarray,
    fs: int,
    analysis: dict,
    settings: MasterSettings,
    curves: tuple[np.ndarray, np.ndarray],
    notes: list[str],
) -> tuple[np.ndarray, dict, dict]:
    """Three-band compression of mid and side (in place), with width and mono-safe bass."""
    dyn = dynamics_design(x.shape[0], fs, analysis, settings, curves, notes)
    gr = dyn.run(x, dynamics.multiband_state(x.shape[0]))
    Widener(fs, settings.width).run(x)
    nch = x.shape[0]
    mean = np.zeros((nch, 3))
    top = np.zeros((nch, 3))
    for c in range(nch):
        for b in range(3):
            g = gr[c, b]
            mean[c, b] = float(g.mean()) if len(g) else 0.0
            top[c, b] = float(g.max()) if len(g) else 0.0
    compression, stereo = dyn.stages(mean, top)
    return x, compression, stereo


def dynamics_design(
    nch: int,
    fs: int,
    analysis: dict,
    settings: MasterSettings,
    curves: tuple[np.ndarray, np.ndarray],
    notes: list[str],
) -> Dynamics:
    """Thresholds, ratios, width and mono-safe bass from the analysis and the EQ curves."""
    spec = analysis["spectrum"]
    freqs = np.array(spec["freqs_hz"])
    amount = settings.intensity / 100
    plr = analysis.get("plr_db")
    if plr is not None and plr < 9.0 and amount > 0:
        amount *= 0.4
        notes.append(
            f"The mix is already dense (peak-to-loudness {plr:.1f} dB), so compression was eased "
            "to avoid squashing it further."
        )
    levels = [_band_levels(np.array(spec["mid_db"]) + curves[0], freqs)]
    if nch == 2:
        levels.append(_band_levels(np.array(spec["side_db"]) + curves[1], freqs))
    thresh = np.zeros((nch, 3))
    ratio = np.ones((nch, 3))
    # long-term band levels include quiet passages; lift thresholds by part of the song's
    # loud-to-average spread so that only its louder moments are held
    spread = 0.0
    if analysis.get("short_term_max_lufs") is not None and analysis["integrated_lufs"] is not None:
        spread = max(0.0, analysis["short_term_max_lufs"] - analysis["integrated_lufs"])
    for c in range(nch):
        side_factor = 0.6 if c == 1 else 1.0
        for b, (_name, full_ratio, _a, _r) in enumerate(BANDS):
            ratio[c, b] = 1.0 + (full_ratio - 1.0) * amount * side_factor
            thresh[c, b] = levels[c][b] + 2.0 + 0.5 * spread + 4.0 * (1.0 - amount)
    attack = np.array([math.exp(-1 / (a * fs)) for _n, _r, a, _rel in BANDS])
    release = np.array([math.exp(-1 / (r * fs)) for _n, _r, _a, r in BANDS])
    scale = np.ones((nch, 3))
    width = 1.0
    side_bass = 1.0
    correlation = analysis.get("correlation", 1.0)
    if nch == 2:
        width = 1.0 + (eq.STYLE_WIDTH[settings.style] - 1.0) * max(amount, 0.5)
        if correlation < 0.3 and width > 1.0:
            width = 1.0
            notes.append("The stereo image is already very wide, so it was not widened further.")
        side_bass = 1.0 - 0.6 * amount
        scale[1] = [side_bass, width, width]
    lo = filters.lr4(fs, CROSSOVER_LOW_HZ, high=False)
    hi = filters.lr4(fs, CROSSOVER_HIGH_HZ, high=True)
    return Dynamics(
        lo, hi, thresh, ratio, attack, release, scale, amount, width, side_bass, settings.width
    )


class Widener:
    """The listener's width (``MasterSettings.width``) after compression: the side's part above
    ``CROSSOVER_LOW_HZ`` (an LR4 split) times w, its bass as the style left it, mono-safe. The
    LR4 pair sums to a 2nd-order all-pass, so mid goes through that all-pass too and the two
    stay in phase. (The compressor's side scale cannot do this: its mid band, the input minus
    the other two, still holds bass around and below the crossover.)"""

    CHUNK = 1 << 16

    def __init__(self, fs: int, percent: float):
        self.extra = np.float32(percent / 100 - 1)
        high = filters.lr4(fs, CROSSOVER_LOW_HZ, high=True)
        a1, a2 = high[0, 4], high[0, 5]
        allpass = np.array([a2, a1, 1.0, 1.0, a1, a2])  # LR4 low + high, with their poles
        self.high = np.ascontiguousarray(high[None])
        self.allpass = np.ascontiguousarray(np.vstack([allpass, filters.IDENTITY])[None])
        self.states = np.zeros((3, 1, 1, 4))  # mid all-pass, side all-pass, side high-pass
        self.buffer = np.empty((1, self.CHUNK), dtype=np.float32)

    def run(self, ms: np.ndarray) -> None:
        """Widen (or narrow) the side of ``ms`` in place, continuing from the previous block."""
        if ms.shape[0] < 2 or self.extra == 0:
            return
        mid, side = ms
        for start in range(0, len(side), self.CHUNK):
            part = side[start : start + self.CHUNK][None]
            high = self.buffer[:, : part.shape[1]]
            biquads.sos_filter_state(part, self.high, high, self.states[2])
            biquads.sos_filter_state(part, self.allpass, part, self.states[1])
            part += self.extra * high
            part = mid[start : start + self.CHUNK][None]
            biquads.sos_filter_state(part, self.allpass, part, self.states[0])


def adjust_notes(settings: MasterSettings, nch: int) -> list[str]:
    """Sentences for the report naming the listener's own EQ moves and width, as applied."""
    notes = []
    if settings.eq_adjust:
        moves = ", ".join(f"{gain:+.1f} dB at {freq:g} Hz" for freq, gain in settings.eq_adjust)
        notes.append(
            f"Your EQ adjustments were applied after the tonal balance: {moves}; "
            "the loudness target and the true-peak ceiling still hold."
        )
    if nch == 2 and settings.width != 100.0:
        notes.append(
            f"Stereo width set to {settings.width:g} % of the side signal; "
            f"the bass below {CROSSOVER_LOW_HZ:g} Hz stays mono-safe."
        )
    return notes


def sum_difference_inplace(x: np.ndarray, scale: float) -> np.ndarray:
    """(a, b) -> scale * (a + b, a - b) in the same memory.

    With scale 0.5 this turns L/R into M/S; with scale 1 it turns M/S back into L/R."""
    if x.shape[0] == 1:
        return x
    dynamics.sum_difference(x, scale)
    return x
