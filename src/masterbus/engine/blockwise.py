"""Mastering audio too long to hold in memory, block by block over disk-backed scratch arrays.

The same chain as ``chain.master`` and the same measurements as ``meter`` (``blockmeter``):
every stage that touches the whole signal reads and writes ``store.Frames`` in blocks of
``BLOCK_FRAMES`` and carries its state across block boundaries (IIR filter memories, the
compressor's envelopes and gains, the limiter's look-ahead deque and release; the oversampling
kernels read a block of context on each side), so the result is the in-memory result up to
float rounding, while the resident memory stays bounded whatever the length: per-frame data
lives in scratch files, and only per-chunk (32 frames) and per-step (100 ms) summaries are kept
in memory.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from masterbus.engine import chain, shaping, store
from masterbus.engine.blockmeter import (
    StepSums,
    analyse,
    guarded_true_peak,
    loudness_of,
    oversampled,
)
from masterbus.engine.chain import GUARD_WINDOW_DB, MAX_GAIN_DB, Mastered, decide_target
from masterbus.engine.feedback import feedback_for
from masterbus.engine.filters import interpolator, k_weighting, pad_even
from masterbus.engine.kernels import BLOCK, biquads, dynamics, limiting, measures
from masterbus.engine.limiter import CHUNK, LOOKAHEAD_S, LimiterResult, TruePeakLimiter
from masterbus.engine.meter import Loudness, db, step_frames
from masterbus.engine.settings import MasterSettings
from masterbus.engine.shaping import Reference
from masterbus.engine.store import Frames

Progress = Callable[[float, str], None]

# Inputs with more samples (channels x frames) than this are mastered block by block. In memory
# the chain peaks at about 3.6 times the float32 signal plus ~150 MB of code and libraries
# (measured: 6.7 GB for 460 M samples), so this keeps an in-memory master under ~650 MB.
STREAM_SAMPLES = 1 << 25


class Curve(Frames):
    """A limiter gain curve on disk, with its loudness step sums (power times curve squared)."""

    steps: np.ndarray


class StreamLimiter(TruePeakLimiter):
    """``TruePeakLimiter`` whose per-frame peaks, power and curves live in scratch files; the
    loudness model works on the same in-memory 32-frame chunk summaries."""

    def __init__(self, x: Frames, fs: int):
        self.fs = fs
        self.folder = x.folder
        self.frames = x.frames
        self.step = step_frames(fs)
        self.look = max(1, round(LOOKAHEAD_S * fs))
        self.peaks = Frames(x.folder, 1)
        self.power = Frames(x.folder, 1)
        sos = pad_even(k_weighting(float(fs)))
        k_state = np.zeros((x.rows, 4))
        sums = StepSums(self.step)
        chunk_peaks: list[np.ndarray] = []
        chunk_power: list[np.ndarray] = []
        previous = np.zeros(1, dtype=np.float32)

        def keep(start: int, frame_peaks: np.ndarray) -> None:
            nonlocal previous
            linked = frame_peaks.copy()
            np.maximum(linked[1:], frame_peaks[:-1], out=linked[1:])
            if start > 0:
                linked[0] = max(linked[0], previous[0])
            previous = frame_peaks[-1:].copy()
            self.peaks.write(start, linked[None, :])
            edges = np.arange(0, len(linked), CHUNK)
            chunk_peaks.append(np.maximum.reduceat(linked, edges))
            block = x.read(start, start + len(linked))
            power = biquads.filtered_power_state(block, sos, k_state)
            self.power.write(start, power[None, :])
            chunk_power.append(np.add.reduceat(power, edges))
            sums.add(power)

        oversampled(x, interpolator(), None, keep)
        self._coefs = self._coefficients(fs)
        self._chunk_peaks = np.concatenate(chunk_peaks)
        self._chunk_power = np.concatenate(chunk_power)
        self._chunk_coefs = self._coefficients(fs / CHUNK)
        self._chunk_look = max(1, round(self.look / CHUNK))
        self._chunk_step = self.step / CHUNK
        self.unlimited = Loudness(sums.result(), fs).integrated()

    def curve(self, gain: float, ceiling: float) -> Curve:  # type: ignore[override]
        out = Curve(self.folder, 1)
        state = limiting.limiter_state(self.look)
        sums = StepSums(self.step)
        n = self.frames
        for start in range(0, n, store.BLOCK_FRAMES):
            end = min(n, start + store.BLOCK_FRAMES)
            peaks = self.peaks.read(start, min(n, end + self.look))[0]
            block = np.empty(end - start, dtype=np.float32)
            limiting.limiter_gain_block(
                peaks, start, n, start, gain, ceiling, self.look, *self._coefs, *state, block
            )
            out.write(start, block[None, :])
            power = self.power.read(start, end)[0].astype(np.float64)
            sums.add(power * block.astype(np.float64) ** 2)
        out.steps = sums.result()
        return out

    def loudness(self, gain: float, curve: Curve) -> float | None:  # type: ignore[override]
        value = Loudness.integrated_from_steps(curve.steps, self.step)
        return None if value is None else value + 20 * math.log10(gain)

    def detected_times_curve(self, curve: Frames) -> np.ndarray:
        """Per-block maximum of the detected peaks after the gain curve."""
        out = []
        for start, block in self.peaks.blocks():
            gains = curve.read(start, start + block.shape[1])[0]
            out.append(measures.block_max_product(block[0], gains, BLOCK))
        return np.concatenate(out)


def applier(y: Frames) -> Callable[[LimiterResult], Frames]:
    """Gain and curve of a limiter result applied to ``y``, into one reused scratch array."""
    out = Frames(y.folder, y.rows)

    def apply(result: LimiterResult) -> Frames:
        gain = 10 ** (result.gain_db / 20)
        for start, block in y.blocks():
            curve = result.curve.read(start, start + block.shape[1])[0]
            limiting.apply_curve(block, curve, gain, block)
            out.write(start, block)
        return out

    return apply


def master(
    x: Frames,
    fs: int,
    settings: MasterSettings,
    *,
    reference: Reference | None = None,
    target_override: float | None = None,
    lossy_check: Callable[[Frames], tuple[float, float | None]] | None = None,
    progress: Progress = chain.no_progress,
    before: tuple[dict, Loudness] | None = None,
) -> Mastered:
    """``chain.master`` block by block; ``x`` is used as working memory. ``before`` is the
    input's analysis if already made."""
    nch = x.rows
    progress(0.05, "analysing")
    analysis, _loud = before or analyse(x, fs)
    target, notes = decide_target(settings, analysis, reference)
    if target is not None and target_override is not None:
        target = target_override
    stages: list[dict] = []
    if target is not None:
        progress(0.2, "equalising and compressing")
        excerpt = None
        level = None
        if reference is not None:
            from masterbus.engine import leveler, matching  # scipy.fft: only in reference mode

            excerpt = matching.excerpt(
                lambda a, b: shaping.sum_difference_inplace(x.read(a, b), 0.5), x.frames, fs
            )
            level = leveler.design(_loud, reference.loudness_range, settings)
        bank, eq_stage, mid_curve, side_curve, match = shaping.eq_design(
            nch, fs, analysis, settings, reference, excerpt
        )
        convolver = None if match is None else match.convolver()
        if level is not None:
            eq_stage["loudness_range"] = level.stage()
        notes.extend(shaping.adjust_notes(settings, nch))
        dyn = shaping.dynamics_design(nch, fs, analysis, settings, (mid_curve, side_curve), notes)
        eq_state = np.zeros((nch, bank.shape[1] // 2, 4))
        dyn_state = dynamics.multiband_state(nch)
        widener = shaping.Widener(fs, settings.width)
        gr_sum = np.zeros((nch, 3))
        gr_max = np.zeros((nch, 3))
        steps = 0
        for start, block in x.blocks():
            ms = shaping.sum_difference_inplace(block, 0.5)
            biquads.sos_filter_state(ms, bank, ms, eq_state)
            if convolver is not None:
                convolver.run(ms)
            if level is not None:
                level.run(ms, start)
            gr = dyn.run(ms, dyn_state)
            widener.run(ms)
            gr_sum += gr.sum(axis=2, dtype=np.float64)
            gr_max = np.maximum(gr_max, gr.max(axis=2))
            steps += gr.shape[2]
            x.write(start, shaping.sum_difference_inplace(ms, 1.0))
        compression, stereo = dyn.stages(gr_sum / max(1, steps), gr_max)
        stages += [eq_stage, compression] + ([stereo] if nch == 2 else [])

    progress(0.5, "limiting")
    limiter = StreamLimiter(x, fs)
    ceiling = settings.ceiling_dbtp
    meter_peak: list[float] = [0.0]

    def measure(signal: Frames, result: LimiterResult) -> float:
        estimate = limiter.detected_times_curve(result.curve)
        active = estimate >= estimate.max() * 10 ** (-GUARD_WINDOW_DB / 20)
        guard, meter_peak[0] = guarded_true_peak(signal, fs, active)
        return db(guard)

    def exact_loudness(signal: Frames, _result: LimiterResult) -> float | None:
        return loudness_of(signal, fs).integrated()

    out, result, _guard = chain.limit_to_target(
        applier(x), limiter, target, ceiling, measure, exact_loudness
    )
    out_loud = loudness_of(out, fs)
    lossy = None
    lossy_stage = None
    if lossy_check is not None:
        progress(0.65, "checking lossy encode")
        lossy, lossy_stage = chain.lossy_version(
            applier(x), out, limiter, target, ceiling, lossy_check, fs, exact_loudness
        )
    if target is not None and result.gain_db >= MAX_GAIN_DB - 0.01:
        notes.append(
            f"Reaching {target:.1f} LUFS would need more than {MAX_GAIN_DB:.0f} dB of gain; "
            "the gain was capped there to avoid raising noise."
        )
    stages.append(
        {"name": "loudness", "target_lufs": target, "input_lufs": analysis["integrated_lufs"]}
    )
    stages.append({"name": "limiter", **result.stats(fs)})
    if lossy_stage:
        stages.append(lossy_stage)
    limiter.peaks.close()  # frees the scratch space before the final analysis
    limiter.power.close()

    progress(0.75, "measuring")
    after, _ = analyse(out, fs, loud=out_loud, peak=meter_peak[0])
    report = {
        "settings": settings.to_dict(),
        "target_lufs": target,
        "input": analysis,
        "output": after,
        "stages": stages,
        "notes": notes,
        "feedback": feedback_for(analysis, after, stages, settings),
        "ab_match_gain_db": chain.ab_gain(analysis, after),
    }
    return Mastered(out, report, lossy)  # type: ignore[arg-type]
