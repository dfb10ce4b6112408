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

from masterbus.engine.feedback import feedback_for
from masterbus.engine.kernels import BLOCK, limiting, measures
from masterbus.engine.limiter import MARGIN_DB, LimiterResult, TruePeakLimiter
from masterbus.engine.meter import Loudness, analyse, db, guarded_true_peak, k_weighted_power
from masterbus.engine.outputs import codec_estimate
from masterbus.engine.settings import MasterSettings
from masterbus.engine.shaping import (
    Reference,
    adjust_notes,
    apply_dynamics,
    apply_eq,
    sum_difference_inplace,
)

Progress = Callable[[float, str], None]

MAX_GAIN_DB = 42.0
SILENCE_LUFS = -45.0  # quieter than this is an export mistake or noise: never boosted
VERIFY_ROUNDS = 4
# The finished signal must read at least this far under the ceiling on the guard interpolator.
VERIFY_HEADROOM_DB = 0.03
LOUDNESS_RECHECK_LU = 0.08
GUARD_WINDOW_DB = 1.0
# Extra lowering of the limiter's ceiling for a lossy version, beyond the first decoded
# overshoot: the codec's overshoot moves a little when the peaks move (see lossy_version).
LOSSY_MARGIN_DB = 0.5
# A decoded MP3 usually peaks at most this much above ``outputs.codec_estimate`` (the codec's
# quantisation noise: up to 0.23 dB on 22 masters, -14 and -9 LUFS; LAME's choices flip with
# tiny input changes, so a larger margin did not buy fewer second encodes)...
CODEC_NOISE_DB = 0.3
# ...and keeps this share of the loudness the codec's low-pass alone would take (the noise
# adds some back), the most estimated rounds before the one encode.
CODEC_LOUDNESS_SHARE = 0.9
ESTIMATE_ROUNDS = 3
ESTIMATE_LOUDNESS_LU = 0.04
# Limiting further adds a little high-frequency content of its own, which the codec's low-pass
# turns into peaks: the first estimated version allows for it. Measured ~0.1 dB on one song and
# 0.25-0.28 dB on another (its -14 and -9 masters), where 0.15 cost a third estimate (~0.3 s of
# a 4-minute song); a margin too large only keeps the MP3's peaks a little further under the
# ceiling (its loudness is held separately).
ESTIMATE_GROWTH_DB = 0.3


def no_progress(_fraction: float, _stage: str) -> None:
    return None


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
        limiting.apply_curve(y, result.curve, 10 ** (result.gain_db / 20), out)
        return out

    return apply


def limit_to_target(
    apply: Callable[[LimiterResult], Any],
    limiter: TruePeakLimiter,
    target: float | None,
    ceiling_db: float,
    measure: Callable[[Any, LimiterResult], float],
    loudness_of: Callable[[Any, LimiterResult], float | None] | None = None,
    internal: float | None = None,
) -> tuple[Any, LimiterResult, float]:
    """Gain + limiter to ``target``, re-run until the finished signal measures right.

    ``loudness_of`` (exact loudness of a finished signal and its result) is checked first: the
    limiter's loudness model runs on the pre-limiter K-weighting and leaves a small bias under
    heavy limiting (~0.1 LU at -9), which one corrected run removes. Then ``measure`` (the
    costlier true-peak reading in dBTP) must be at or under ``ceiling_db``; if not, the
    internal ceiling (``ceiling_db`` unless given) is lowered by the overshoot.
    """
    internal = ceiling_db if internal is None else internal
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
            error = (loudness_of(out, result) or target) - target
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
    loudness_of: Callable[[Any, LimiterResult], float | None] | None = None,
    *,
    estimate: Callable[[Any], tuple[float, float]] | None = None,
) -> tuple[Any, dict | None]:
    """A version of the master whose encoded-then-decoded file keeps the ceiling and target.

    Encoders low-pass and add quantisation noise: the decoded file can peak higher and measure
    quieter than what went in, so both are checked on the decoded file itself. An encode is
    the costly part (~30x real time). With ``estimate`` (``outputs.codec_estimate``: the peak
    and loudness change the codec's low-pass makes, ~4x cheaper than an encode) versions are
    limited until the estimate keeps ``CODEC_NOISE_DB`` under the ceiling and the target, and
    only that one is encoded: one encode in the common case. Without, the master itself is
    encoded first. Either way a decoded overshoot or loudness offset sizes one correction (the
    internal ceiling lowered by the overshoot plus ``LOSSY_MARGIN_DB``, the goal moved by the
    offset), checked by another encode. ``loudness_of`` (the exact loudness of a signal before
    encoding) corrects the limiter's loudness model before an encode is spent on it.
    """
    last: dict[str, float | None] = {"encodes": 0}

    def peak(signal: Any, _result: LimiterResult | None = None) -> float:
        last["peak"], last["loudness"] = check(signal)
        last["encodes"] = (last["encodes"] or 0) + 1
        return float(last["peak"])

    internal, goal, first, result = ceiling, target, out, None
    if estimate is not None:
        first, result, internal, goal = _estimated(
            apply, out, limiter, target, ceiling, estimate, loudness_of
        )
    measured = peak(first)
    loudness = last["loudness"]
    off = 0.0 if target is None or loudness is None else loudness - target
    over = measured - (ceiling - VERIFY_HEADROOM_DB)
    if over <= 0 and abs(off) <= LOUDNESS_RECHECK_LU:
        if result is None:
            return first, None
        version = first
    else:
        goal = None if goal is None else goal - off
        internal -= max(0.0, over) + (LOSSY_MARGIN_DB if over > 0 else 0.0)
        version, result, measured = limit_to_target(
            apply, limiter, goal, ceiling, peak, loudness_of, internal
        )
        if goal is not None and target is not None and last["loudness"] is not None:
            off = last["loudness"] - target
            if abs(off) > LOUDNESS_RECHECK_LU:
                version, result, measured = limit_to_target(
                    apply, limiter, goal - off, ceiling, peak, loudness_of, internal
                )
    stage = {"name": "lossy_limiter", **result.stats(fs)}
    stage["decoded_true_peak_dbtp"] = round(measured, 2)
    stage["decoded_loudness_lufs"] = _round_or_none(last["loudness"])
    stage["first_decoded_overshoot_db"] = round(max(0.0, over), 2)
    stage["estimated"] = estimate is not None
    stage["encodes"] = last["encodes"]
    return version, stage


def _estimated(
    apply: Callable[[LimiterResult], Any],
    out: Any,
    limiter: TruePeakLimiter,
    target: float | None,
    ceiling: float,
    estimate: Callable[[Any], tuple[float, float]],
    loudness_of: Callable[[Any, LimiterResult], float | None] | None,
) -> tuple[Any, LimiterResult, float, float | None]:
    """The version to encode first: (signal, its limiter result, internal ceiling, goal),
    limited until ``estimate`` says the decoded file keeps the ceiling and the target (and its
    exact loudness, before encoding, is within ``ESTIMATE_LOUDNESS_LU`` of its goal)."""
    peak, change = estimate(out)
    goal = None if target is None else target - CODEC_LOUDNESS_SHARE * change
    internal = ceiling - max(0.0, peak - ceiling + CODEC_NOISE_DB + ESTIMATE_GROWTH_DB)
    allowed = ceiling - VERIFY_HEADROOM_DB - CODEC_NOISE_DB
    aim = goal
    for _ in range(ESTIMATE_ROUNDS):
        version, result, _ = limit_to_target(
            apply, limiter, aim, ceiling, lambda *_: -math.inf, None, internal
        )
        peak, change = estimate(version)
        miss = 0.0
        if target is not None and aim is not None and goal is not None:
            goal = target - CODEC_LOUDNESS_SHARE * change
            loudness = loudness_of(version, result) if loudness_of else None
            miss = goal - (goal if loudness is None else loudness)
            aim += miss
        over = peak - allowed
        if over <= 0 and abs(miss) <= ESTIMATE_LOUDNESS_LU:
            break
        internal -= max(0.0, over) + (0.02 if over > 0 else 0.0)
    return version, result, internal, aim


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
        ms, eq_stage, mid_curve, side_curve = apply_eq(ms, fs, before, settings, reference)
        stages.append(eq_stage)
        notes.extend(adjust_notes(settings, ms.shape[0]))
        progress(0.35, "compressing")
        ms, comp_stage, stereo_stage = apply_dynamics(
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
        estimate = measures.block_max_product(detected, result.curve, BLOCK)
        active = estimate >= estimate.max() * 10 ** (-GUARD_WINDOW_DB / 20)
        guard, meter_peak[0] = guarded_true_peak(signal, fs, active)
        return db(guard)

    checked: dict[str, Any] = {}  # the result last measured exactly, and its loudness

    def exact_loudness(signal: np.ndarray, result: LimiterResult) -> float | None:
        checked["result"], checked["loudness"] = result, Loudness.of(signal, fs)
        return checked["loudness"].integrated()

    out, result, _guard_peak = limit_to_target(
        applier(y), limiter, target, ceiling, measure, exact_loudness
    )
    # the finished signal is usually the one whose loudness was just checked: no second pass
    out_loud = checked["loudness"] if checked.get("result") is result else Loudness.of(out, fs)
    lossy = None
    lossy_stage = None
    if lossy_check is not None:
        progress(0.65, "checking lossy encode")
        lossy, lossy_stage = lossy_version(
            applier(y), out, limiter, target, ceiling, lossy_check, fs, exact_loudness,
            estimate=lambda signal: codec_estimate(signal, fs),
        )  # fmt: skip
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
