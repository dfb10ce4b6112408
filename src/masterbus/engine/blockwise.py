"""Mastering audio too long to hold in memory, block by block over disk-backed scratch arrays.

The same chain as ``chain.master`` and the same measurements as ``meter``: every stage that
touches the whole signal reads and writes ``store.Frames`` in blocks of ``BLOCK_FRAMES`` and
carries its state across block boundaries (IIR filter memories, the compressor's envelopes and
gains, the limiter's look-ahead deque and release; the oversampling kernels read a block of
context on each side), so the result is the in-memory result up to float rounding, while the
resident memory stays bounded whatever the length: per-frame data lives in scratch files, and
only per-chunk (32 frames) and per-step (100 ms) summaries are kept in memory.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator

import numpy as np

from masterbus.engine import chain, kernels, store
from masterbus.engine.chain import (
    GUARD_WINDOW_DB,
    MAX_GAIN_DB,
    Mastered,
    Reference,
    decide_target,
    feedback_for,
)
from masterbus.engine.filters import (
    guard_interpolator,
    interpolator,
    k_weighting,
    meter_interpolator,
    pad_even,
)
from masterbus.engine.io import Audio, AudioInfo, AudioReader, _check, read_audio
from masterbus.engine.limiter import CHUNK, LOOKAHEAD_S, LimiterResult, TruePeakLimiter
from masterbus.engine.meter import (
    CLIP_LEVEL,
    WAVEFORM_POINTS,
    Loudness,
    db,
    reachable_blocks,
    spectrum_of_frames,
    spectrum_plan,
    step_frames,
    summarise,
)
from masterbus.engine.settings import MasterSettings
from masterbus.engine.store import CONTEXT, Frames

Progress = Callable[[float, str], None]

# Inputs with more samples (channels x frames) than this are mastered block by block. In memory
# the chain peaks at about 3.6 times the float32 signal plus ~150 MB of code and libraries
# (measured: 6.7 GB for 460 M samples), so this keeps an in-memory master under ~650 MB.
STREAM_SAMPLES = 1 << 25


class StepSums:
    """Sums over 100 ms steps of per-frame values that arrive in blocks (a partial last step
    is dropped, as ``kernels.filtered_power_steps`` does)."""

    def __init__(self, step: int):
        self.step = step
        self._carry = np.zeros(0)
        self._sums: list[np.ndarray] = []

    def add(self, values: np.ndarray) -> None:
        v = np.concatenate([self._carry, values.astype(np.float64)])
        count = len(v) // self.step
        self._sums.append(v[: count * self.step].reshape(count, self.step).sum(axis=1))
        self._carry = v[count * self.step :]

    def result(self) -> np.ndarray:
        return np.concatenate(self._sums) if self._sums else np.zeros(0)


def loudness_of(x: Frames, fs: int) -> Loudness:
    """``Loudness.of`` block by block."""
    sos = pad_even(k_weighting(float(fs)))
    state = np.zeros((x.rows, 4))
    sums = StepSums(step_frames(fs))
    for _start, block in x.blocks():
        sums.add(kernels.filtered_power_state(block, sos, state))
    return Loudness(sums.result(), fs)


def oversampled(
    x: Frames,
    bank: np.ndarray,
    active: np.ndarray | None = None,
    per_frame: Callable[[int, np.ndarray], None] | None = None,
) -> np.ndarray:
    """``kernels.oversampled_peaks`` block by block: the per-block phase peaks, and (when
    ``per_frame`` is given) each block's per-frame peaks handed to it with the block's start.

    Each block is read with ``CONTEXT`` frames on either side, so the interpolator sees the
    same neighbours as on the whole signal; the context blocks themselves are not measured."""
    n = x.frames
    nblk = (n + kernels.BLOCK - 1) // kernels.BLOCK
    peaks = np.zeros((nblk, bank.shape[0]), dtype=np.float32)
    for start in range(0, n, store.BLOCK_FRAMES):
        end = min(n, start + store.BLOCK_FRAMES)
        b0, b1 = start // kernels.BLOCK, (end + kernels.BLOCK - 1) // kernels.BLOCK
        flags = np.ones(b1 - b0, dtype=np.bool_) if active is None else active[b0:b1]
        if per_frame is None and not flags.any():
            continue
        trail = CONTEXT if end < n else 0  # at the end the kernel pads with zeros itself
        buf = x.read_padded(start - CONTEXT, end + trail)
        count = (buf.shape[1] + kernels.BLOCK - 1) // kernels.BLOCK
        ext = np.zeros(count, dtype=np.bool_)
        lead = CONTEXT // kernels.BLOCK
        ext[lead : lead + b1 - b0] = flags
        frames, phases = kernels.oversampled_peaks(buf, bank, per_frame is not None, ext)
        peaks[b0:b1] = phases[lead : lead + b1 - b0]
        if per_frame is not None:
            per_frame(start, frames[CONTEXT : CONTEXT + end - start])
    return peaks


def guarded_true_peak(x: Frames, fs: int, active: np.ndarray | None = None) -> tuple[float, float]:
    """``meter.guarded_true_peak`` block by block."""
    if x.frames == 0:
        return 0.0, 0.0
    bank, meter_rows = guard_interpolator(fs)
    top = oversampled(x, bank, active).max(axis=0)
    return float(top.max()), float(top[meter_rows].max())


def analyse(
    x: Frames, fs: int, loud: Loudness | None = None, peak: float | None = None
) -> tuple[dict, Loudness]:
    """``meter.analyse`` block by block; also returns the loudness measurement."""
    nch, n = x.shape
    sos = pad_even(k_weighting(float(fs)))
    k_state = np.zeros((nch, 4))
    sums = StepSums(step_frames(fs))
    stats = np.zeros((nch, 5))
    block_peaks = []
    points = max(1, min(WAVEFORM_POINTS, n))
    edges = np.linspace(0, n, points + 1).astype(int)[:-1]
    mins = np.full((nch, points), np.inf)
    maxs = np.full((nch, points), -np.inf)
    for start, block in x.blocks():
        end = start + block.shape[1]
        if loud is None:
            sums.add(kernels.filtered_power_state(block, sos, k_state))
        part = kernels.signal_stats(block, CLIP_LEVEL)
        stats[:, [0, 1, 3, 4]] += part[:, [0, 1, 3, 4]]
        stats[:, 2] = np.maximum(stats[:, 2], part[:, 2])
        block_peaks.append(kernels.block_abs_max(block, kernels.BLOCK))
        # waveform: the points that start in this block, and the one running into it
        first = int(np.searchsorted(edges, start, side="right")) - 1
        last = int(np.searchsorted(edges, end, side="left"))
        local = np.maximum(edges[first:last], start) - start
        mins[:, first:last] = np.minimum(mins[:, first:last], np.minimum.reduceat(block, local, 1))
        maxs[:, first:last] = np.maximum(maxs[:, first:last], np.maximum.reduceat(block, local, 1))
    if loud is None:
        loud = Loudness(sums.result(), fs)
    if peak is None:
        bank = meter_interpolator(fs)
        active = reachable_blocks(np.concatenate(block_peaks), bank)
        peak = float(oversampled(x, bank, active).max())
    nfft, starts = spectrum_plan(n, fs)
    frames = np.stack([x.read_padded(int(s), int(s) + nfft) for s in starts], axis=1)
    pairs = zip(mins.mean(axis=0).tolist(), maxs.mean(axis=0).tolist(), strict=True)
    waveform = {"peaks": [[round(a, 4), round(b, 4)] for a, b in pairs]}
    result = summarise(x.shape, fs, loud, stats, peak, spectrum_of_frames(frames, fs), waveform)
    return result, loud


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
            power = kernels.filtered_power_state(block, sos, k_state)
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
        state = kernels.limiter_state(self.look)
        sums = StepSums(self.step)
        n = self.frames
        for start in range(0, n, store.BLOCK_FRAMES):
            end = min(n, start + store.BLOCK_FRAMES)
            peaks = self.peaks.read(start, min(n, end + self.look))[0]
            block = np.empty(end - start, dtype=np.float32)
            kernels.limiter_gain_block(
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
            out.append(kernels.block_max_product(block[0], gains, kernels.BLOCK))
        return np.concatenate(out)


def applier(y: Frames) -> Callable[[LimiterResult], Frames]:
    """Gain and curve of a limiter result applied to ``y``, into one reused scratch array."""
    out = Frames(y.folder, y.rows)

    def apply(result: LimiterResult) -> Frames:
        gain = 10 ** (result.gain_db / 20)
        for start, block in y.blocks():
            curve = result.curve.read(start, start + block.shape[1])[0]
            kernels.apply_curve(block, curve, gain, block)
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
        bank, eq_stage, mid_curve, side_curve = chain.eq_design(
            nch, fs, analysis, settings, reference
        )
        dyn = chain.dynamics_design(nch, fs, analysis, settings, (mid_curve, side_curve), notes)
        eq_state = np.zeros((nch, bank.shape[1] // 2, 4))
        dyn_state = kernels.multiband_state(nch)
        gr_sum = np.zeros((nch, 3))
        gr_max = np.zeros((nch, 3))
        steps = 0
        for start, block in x.blocks():
            ms = chain.sum_difference_inplace(block, 0.5)
            kernels.sos_filter_state(ms, bank, ms, eq_state)
            gr = dyn.run(ms, dyn_state)
            gr_sum += gr.sum(axis=2, dtype=np.float64)
            gr_max = np.maximum(gr_max, gr.max(axis=2))
            steps += gr.shape[2]
            x.write(start, chain.sum_difference_inplace(ms, 1.0))
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

    def exact_loudness(signal: Frames) -> float | None:
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
            applier(x), out, limiter, target, ceiling, lossy_check, fs
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


def load(
    path: str | os.PathLike,
    folder: str | os.PathLike,
    threshold: int = STREAM_SAMPLES,
    *,
    max_frames: int | None = None,
    max_seconds: float | None = None,
) -> tuple[Audio | Frames, AudioInfo]:
    """Decode a file into memory, or into a scratch array in ``folder`` once it holds more than
    ``threshold`` samples; the same checks and limits as ``io.read_audio``."""
    with AudioReader(path, max_frames, max_seconds) as reader:
        expected = reader.header_frames if reader.exact else None
        if expected is not None and expected * reader.channels <= threshold:
            reader.close()  # small, with an exact length: one array, no list of blocks
            audio = read_audio(path, max_frames=max_frames, max_seconds=max_seconds)
            return audio, AudioInfo(
                audio.sample_rate,
                audio.channels,
                audio.frames,
                audio.frames / audio.sample_rate,
                audio.format,
                audio.subtype,
            )
        blocks: list[np.ndarray] = []
        held = 0
        scratch: Frames | None = None
        for block in reader.blocks():
            if scratch is not None:
                scratch.append(block)
                continue
            blocks.append(block)
            held += block.size
            if held > threshold:
                scratch = Frames(folder, reader.channels)
                for b in blocks:
                    scratch.append(b)
                blocks = []
        info = reader.info(reader.decoded)
    _check(reader.name, info, reader.limit)
    if scratch is not None:
        return scratch, info
    planar = (
        np.concatenate(blocks, axis=1) if blocks else np.zeros((info.channels, 0), dtype=np.float32)
    )
    return Audio(planar.T, info.sample_rate, info.format, info.subtype), info


def resampled_blocks(x: Frames, fs: int, target: int) -> Iterator[np.ndarray]:
    """Planar blocks of ``x`` resampled from ``fs`` to ``target`` (soxr HQ, streaming)."""
    if target == fs:
        for _start, block in x.blocks():
            yield block
        return
    import soxr

    stream = soxr.ResampleStream(fs, target, x.rows, dtype="float32", quality="HQ")
    for start, block in x.blocks():
        last = start + block.shape[1] >= x.frames
        y = stream.resample_chunk(np.ascontiguousarray(block.T), last=last)
        if len(y):
            yield np.ascontiguousarray(np.asarray(y, dtype=np.float32).T)


def resample(x: Frames, fs: int, target: int | None) -> tuple[Frames, int]:
    if target is None or target == fs:
        return x, fs
    out = Frames(x.folder, x.rows)
    for block in resampled_blocks(x, fs, target):
        out.append(block)
    x.close()
    return out, target
