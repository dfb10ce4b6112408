"""The mastering chain on in-memory audio: (channels, frames) float32 in, the same out.

Order: subsonic high-pass and tonal EQ (mid and side), three-band mid/side compression with
stereo width and mono-safe bass, then gain to the loudness target through the true-peak
limiter, verified on the finished signal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from masterbus.engine import eq, filters, kernels
from masterbus.engine.feedback import feedback_for
from masterbus.engine.limiter import MARGIN_DB, LimiterResult, TruePeakLimiter
from masterbus.engine.meter import Loudness, analyse, db, guarded_true_peak, k_weighted_power
from masterbus.engine.settings import MasterSettings

Progress = Callable[[float, str], None]

CROSSOVER_LOW_HZ = 120.0
CROSSOVER_HIGH_HZ = 2500.0
CONTROL_FRAMES = 32
MAX_GAIN_DB = 42.0
SILENCE_LUFS = -45.0  # quieter than this is an export mistake or noise: never boosted
VERIFY_ROUNDS = 4
# The finished signal must read at least this far under the ceiling on the guard interpolator.
VERIFY_HEADROOM_DB = 0.03
LOUDNESS_RECHECK_LU = 0.08
GUARD_WINDOW_DB = 1.0
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


def no_progress(_fraction: float, _stage: str) -> None:
    return None


def _band_levels(spectrum_db: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    power = 10 ** (spectrum_db / 10)
    edges = [(0, CROSSOVER_LOW_HZ), (CROSSOVER_LOW_HZ, CROSSOVER_HIGH_HZ), (CROSSOVER_HIGH_HZ, 1e9)]
    return np.array(
        [10 * math.log10(power[(freqs >= a) & (freqs < b)].sum() + 1e-20) for a, b in edges]
    )


def _eq_stage(
    x: np.ndarray, fs: int, analysis: dict, settings: MasterSettings, reference: Reference | None
) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray]:
    """Fit and apply the tonal EQ in mid/side, in place; returns (x, stage, mid and side curves)."""
    bank, stage, mid_curve, side_curve = eq_design(x.shape[0], fs, analysis, settings, reference)
    kernels.sos_filter(x, bank, x)
    return x, stage, mid_curve, side_curve


def eq_design(
    nch: int, fs: int, analysis: dict, settings: MasterSettings, reference: Reference | None
) -> tuple[np.ndarray, dict, np.ndarray, np.ndarray]:
    """The tonal EQ in mid/side: (filter bank per channel, stage, mid and side curves)."""
    spec = analysis["spectrum"]
    freqs = np.array(spec["freqs_hz"])
    mid = np.array(spec["mid_db"])
    side = np.array(spec["side_db"])
    if reference is not None:
        strength = settings.reference_amount / 100
        ref_mid = np.array(reference.spectrum["mid_db"])[: len(freqs)]
        ref_side = np.array(reference.spectrum["side_db"])[: len(freqs)]
        want_mid = eq.correction(mid, ref_mid, freqs, strength)
        # side is compared on the mid's scale so that its level relative to mid (width) is matched
        core = (freqs >= 200) & (freqs <= 5000)
        want_side = (ref_side - ref_mid[core].mean()) - (side - mid[core].mean())
        want_side[side < side.max() - 60] = 0.0
        want_side = np.clip(want_side * strength, -eq.MAX_BAND_DB, eq.MAX_BAND_DB)
        source = "reference"
    else:
        strength = 0.8 * settings.intensity / 100
        # gentle settings also mean smaller moves: at most 2 dB at 0 %, 6 dB at 100 %
        limit = 2.0 + 4.0 * settings.intensity / 100
        target = eq.style_target(settings.style, freqs)
        want_mid = eq.correction(mid, target, freqs, strength, limit)
        want_side = want_mid  # keep the stereo image: side follows mid
        source = f"style:{settings.style}"
    mid_sos, mid_filters = eq.fit(want_mid, freqs, fs)
    channels = [mid_sos]
    side_filters: list[dict] = []
    if nch == 2:
        side_sos, side_filters = eq.fit(want_side, freqs, fs)
        channels.append(side_sos)
    count = max(len(c) for c in channels)
    count += count % 2
    bank = np.stack(
        [np.vstack([c] + [filters.IDENTITY] * (count - len(c))) for c in channels]
    ).astype(np.float64)
    bank = np.ascontiguousarray(bank)
    mid_curve = filters.response_db(channels[0], freqs, fs)
    side_curve = filters.response_db(channels[-1], freqs, fs)
    stage = {
        "name": "eq",
        "target": source,
        "strength": round(strength, 2),
        "subsonic_highpass_hz": eq.SUBSONIC_HZ,
        "freqs_hz": [float(f) for f in freqs],
        "mid": {"filters": mid_filters, "curve_db": [round(float(v), 2) for v in mid_curve]},
    }
    if nch == 2:
        stage["side"] = {
            "filters": side_filters,
            "curve_db": [round(float(v), 2) for v in side_curve],
        }
    return bank, stage, mid_curve, side_curve


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

    def run(self, x: np.ndarray, state: np.ndarray) -> np.ndarray:
        """Compress ``x`` (mid/side) in place, continuing from ``state``; the gain reduction."""
        return kernels.multiband_compress(
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
            "mono_bass_below_hz": CROSSOVER_LOW_HZ,
            "side_bass_gain_db": round(20 * math.log10(max(self.side_bass, 1e-6)), 2),
        }
        return compression, stereo


def _dynamics_stage(
    x: np.ndarray,
    fs: int,
    analysis: dict,
    settings: MasterSettings,
    curves: tuple[np.ndarray, np.ndarray],
    notes: list[str],
) -> tuple[np.ndarray, dict, dict]:
    """Three-band compression of mid and side (in place), with width and mono-safe bass."""
    dyn = dynamics_design(x.shape[0], fs, analysis, settings, curves, notes)
    gr = dyn.run(x, kernels.multiband_state(x.shape[0]))
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
    return Dynamics(lo, hi, thresh, ratio, attack, release, scale, amount, width, side_bass)


def sum_difference_inplace(x: np.ndarray, scale: float) -> np.ndarray:
    """(a, b) -> scale * (a + b, a - b) in the same memory (one half-size temporary).

    With scale 0.5 this turns L/R into M/S; with scale 1 it turns M/S back into L/R."""
    if x.shape[0] == 1:
        return x
    difference = np.subtract(x[0], x[1])
    x[0] += x[1]
    x[1] = difference
    if scale != 1.0:
        x *= np.float32(scale)
    return x


def decide_target(
    settings: MasterSettings, analysis: dict, reference: Reference | None
) -> tuple[float | None, list[str]]:
    """The loudness to aim for, or None to leave the level alone (silence)."""
    notes: list[str] = []
    if settings.target_lufs is not None:
        target = settings.target_lufs
    elif reference is not None and reference.loudness is not None:
        target = min(-5.0, max(-40.0, reference.loudness))
        notes.append(f"Loudness matched to the reference: {target:.1f} LUFS.")
    else:
        target = -14.0
    loudness = analysis["integrated_lufs"]
    if loudness is None or loudness < SILENCE_LUFS:
        notes.append(
            "The file is nearly silent, so its level was left as it is instead of boosting "
            "noise; only the true-peak ceiling was applied."
        )
        return None, notes
    if loudness > target + 0.5:
        notes.append(
            f"The mix ({loudness:.1f} LUFS) was already louder than the {target:.1f} LUFS "
            f"target, so it was turned down by {loudness - target:.1f} dB rather than squashed."
        )
    return target, notes


@dataclass
class Mastered:
    """The finished signal, its report, and (when asked) a version safe for lossy encoding."""

    signal: np.ndarray
    report: dict
    lossy_signal: np.ndarray | None = None


def applier(y: np.ndarray) -> Callable[[LimiterResult], np.ndarray]:
    """Gain and curve of a limiter result applied to ``y``, into one reused buffer."""
    out = np.empty_like(y)

    def apply(result: LimiterResult) -> np.ndarray:
        kernels.apply_curve(y, result.curve, 10 ** (result.gain_db / 20), out)
        return out

    return apply


def limit_to_target(
    apply: Callable[[LimiterResult], Any],
    limiter: TruePeakLimiter,
    target: float | None,
    ceiling_db: float,
    measure: Callable[[Any, LimiterResult], float],
    loudness_of: Callable[[Any], float | None] | None = None,
) -> tuple[Any, LimiterResult, float]:
    """Gain + limiter to ``target``, re-run until the finished signal measures right.

    ``loudness_of`` (exact loudness of a finished signal) is checked first and cheaply: the
    limiter's loudness model runs on the pre-limiter K-weighting and leaves a small bias under
    heavy limiting (~0.1 LU at -9), which one corrected run removes. Then ``measure`` (the
    costlier true-peak reading in dBTP) must be at or under ``ceiling_db``; if not, the
    internal ceiling is lowered by the overshoot.
    """
    internal = ceiling_db
    goal = target
    result = None
    measured = 0.0
    for attempt in range(VERIFY_ROUNDS + 1):
        if goal is None:
            curve = limiter.curve(1.0, 10 ** ((internal - MARGIN_DB) / 20))
            result = LimiterResult(0.0, curve, limiter.loudness(1.0, curve), internal)
        else:
            result = limiter.run(goal, internal, MAX_GAIN_DB)
        out = apply(result)
        if attempt == 0 and goal is not None and target is not None and loudness_of:
            error = (loudness_of(out) or target) - target
            if abs(error) > LOUDNESS_RECHECK_LU:
                goal -= error
                continue
        measured = measure(out, result)
        over = measured - (ceiling_db - VERIFY_HEADROOM_DB)
        if over <= 0:
            break
        internal -= over + 0.02
    assert result is not None
    result.ceiling_db = ceiling_db
    return out, result, measured


def lossy_version(
    apply: Callable[[LimiterResult], Any],
    out: Any,
    limiter: TruePeakLimiter,
    target: float | None,
    ceiling: float,
    check: Callable[[Any], tuple[float, float | None]],
    fs: int,
) -> tuple[Any, dict | None]:
    """A version of the master whose encoded-then-decoded file keeps the ceiling and target.

    Encoders low-pass and add quantisation noise: the decoded file can peak higher and measure
    quieter than what went in, so both are checked on the decoded file itself.
    """
    last: dict[str, float | None] = {}

    def peak(signal: Any, _result: LimiterResult | None = None) -> float:
        last["peak"], last["loudness"] = check(signal)
        return float(last["peak"])

    measured = peak(out)
    loudness = last["loudness"]
    off = 0.0 if target is None or loudness is None else loudness - target
    if measured <= ceiling - VERIFY_HEADROOM_DB and abs(off) <= LOUDNESS_RECHECK_LU:
        return out, None
    goal = None if target is None else target - off
    version, result, measured = limit_to_target(apply, limiter, goal, ceiling, peak)
    if target is not None and last["loudness"] is not None:
        off = last["loudness"] - target
        if abs(off) > LOUDNESS_RECHECK_LU:
            version, result, measured = limit_to_target(apply, limiter, goal - off, ceiling, peak)
    stage = {"name": "lossy_limiter", **result.stats(fs)}
    stage["decoded_true_peak_dbtp"] = round(measured, 2)
    stage["decoded_loudness_lufs"] = _round_or_none(last["loudness"])
    return version, stage


def master(
    source: list[np.ndarray],
    fs: int,
    settings: MasterSettings,
    *,
    analysis: dict | None = None,
    reference: Reference | None = None,
    target_override: float | None = None,
    lossy_check: Callable[[np.ndarray], tuple[float, float | None]] | None = None,
    progress: Progress = no_progress,
) -> Mastered:
    """Master a signal; returns the finished signal and the report (without file outputs).

    ``source`` is a one-item list holding the (channels, frames) signal: the chain takes the
    array out and uses it as working memory, so no caller reference keeps a full-length copy
    alive (that alone would add the track's size to the peak memory). ``lossy_check``, if given,
    encodes and decodes a signal and returns its true peak (dBTP) and loudness (LUFS): a
    lossy version is then limited until the decoded file keeps the ceiling and the target.
    """
    x = np.ascontiguousarray(source.pop(), dtype=np.float32)
    progress(0.05, "analysing")
    before = analysis or analyse(x, fs)
    target, notes = decide_target(settings, before, reference)
    if target is not None and target_override is not None:
        target = target_override
    stages: list[dict] = []

    if target is None:
        y = x  # nearly silent: no tonal or dynamic processing, only the ceiling
    else:
        progress(0.2, "equalising")
        ms = sum_difference_inplace(x, 0.5)
        del x
        ms, eq_stage, mid_curve, side_curve = _eq_stage(ms, fs, before, settings, reference)
        stages.append(eq_stage)
        progress(0.35, "compressing")
        ms, comp_stage, stereo_stage = _dynamics_stage(
            ms, fs, before, settings, (mid_curve, side_curve), notes
        )
        stages.append(comp_stage)
        if ms.shape[0] == 2:
            stages.append(stereo_stage)
        y = sum_difference_inplace(ms, 1.0)
        del ms

    progress(0.5, "limiting")
    power = k_weighted_power(y, fs)
    limiter = TruePeakLimiter(y, fs, power)
    ceiling = settings.ceiling_dbtp

    meter_peak: list[float] = [0.0]

    # Interpolator designs differ by well under GUARD_WINDOW_DB, so blocks whose detected peak
    # after the gain curve sits lower than that below the loudest one cannot hold the maximum.
    def measure(
        signal: np.ndarray, result: LimiterResult, detected: np.ndarray = limiter.peaks
    ) -> float:
        estimate = kernels.block_max_product(detected, result.curve, kernels.BLOCK)
        active = estimate >= estimate.max() * 10 ** (-GUARD_WINDOW_DB / 20)
        guard, meter_peak[0] = guarded_true_peak(signal, fs, active)
        return db(guard)

    def exact_loudness(signal: np.ndarray) -> float | None:
        return Loudness.of(signal, fs).integrated()

    out, result, _guard_peak = limit_to_target(
        applier(y), limiter, target, ceiling, measure, exact_loudness
    )
    out_loud = Loudness.of(out, fs)
    lossy = None
    lossy_stage = None
    if lossy_check is not None:
        progress(0.65, "checking lossy encode")
        lossy, lossy_stage = lossy_version(
            applier(y), out, limiter, target, ceiling, lossy_check, fs
        )
    if target is not None and result.gain_db >= MAX_GAIN_DB - 0.01:
        notes.append(
            f"Reaching {target:.1f} LUFS would need more than {MAX_GAIN_DB:.0f} dB of gain; "
            "the gain was capped there to avoid raising noise."
        )
    # free the pre-limiter signal and its measurements before the final analysis
    del y, limiter, power
    stages.append(
        {"name": "loudness", "target_lufs": target, "input_lufs": before["integrated_lufs"]}
    )
    stages.append({"name": "limiter", **result.stats(fs)})
    if lossy_stage:
        stages.append(lossy_stage)
    del result

    progress(0.75, "measuring")
    after = analyse(out, fs, loud=out_loud, peak=meter_peak[0])
    report = {
        "settings": settings.to_dict(),
        "target_lufs": target,
        "input": before,
        "output": after,
        "stages": stages,
        "notes": notes,
        "feedback": feedback_for(before, after, stages, settings),
        "ab_match_gain_db": ab_gain(before, after),
    }
    return Mastered(out, report, lossy)


def _round_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def ab_gain(before: dict, after: dict) -> float:
    """Gain for the master so that A/B plays both at the same loudness."""
    a, b = before["integrated_lufs"], after["integrated_lufs"]
    if a is None or b is None:
        return 0.0
    return round(a - b, 2)
