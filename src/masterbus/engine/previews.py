"""Style previews: the same ~30 s of a song mastered in every style, level-matched to the original.

A person chooses a style by ear before the whole song is mastered, so each preview must sound
like the full master will: the song is analysed once, whole (the same analysis the chain makes
its decisions from), and every style's chain runs on the excerpt only with those full-song
decisions. The excerpt's loudness target is the song's target moved by how much louder the
excerpt is than the whole song, so the limiter works as hard on it as it will in the full master.
Finally every preview and the original excerpt are turned to one loudness by gain alone (no
limiting, so nothing is coloured), chosen low enough that none of them goes over the ceiling:
the choice is then about tone and dynamics, never level.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from masterbus.engine import blockmeter, chain, files
from masterbus.engine.errors import EngineError
from masterbus.engine.io import Audio, AudioReader, check_writable
from masterbus.engine.meter import Loudness, analyse, db, guarded_true_peak
from masterbus.engine.outputs import lossy_rate, planar_of, resample_signal, write_preview
from masterbus.engine.settings import STYLES, MasterSettings
from masterbus.engine.store import Frames

Progress = Callable[[float, str], None]

PREVIEW_S = 30.0
# The chain runs from this long before the excerpt, so the compressor's envelopes and the
# filters have settled when the excerpt starts.
PRE_ROLL_S = 2.0
# Intros rarely represent a song: the excerpt starts after this share of it (at most 15 s).
SKIP_SHARE = 0.1
SKIP_MAX_S = 15.0
ORIGINAL = "original"
# Kept under the ceiling when matching levels: other meters (ffmpeg's) and the 16-bit file's
# dither read up to ~0.07 dB above ours on hard-clipped originals.
MATCH_HEADROOM_DB = 0.1
# Short-term loudness under this counts as this (silence must not drag a window to -inf).
FLOOR_LUFS = -70.0


def _silent(_fraction: float, _stage: str) -> None:
    return None


def excerpt_window(loud: Loudness, frames: int, seconds: float = PREVIEW_S) -> tuple[int, int]:
    """Frames (start, end) of the most representative ``seconds``: the window whose mean
    short-term (3 s) loudness is highest, so a sustained loud section wins over a single hit,
    starting after the intro (``SKIP_SHARE`` of the song, at most ``SKIP_MAX_S``)."""
    fs = loud.fs
    length = min(frames, int(seconds * fs))
    if length >= frames:
        return 0, frames
    step = loud.step
    per_window = max(1, length // step)
    short = np.maximum(loud.short_term(), FLOOR_LUFS)
    # window i covers steps i .. i + per_window; its short-term values start at i
    span = per_window - 29
    if span < 1 or len(short) < span:
        return 0, length
    means = np.convolve(short, np.ones(span) / span, mode="valid")
    last_start = (frames - length) // step
    earliest = min(int(min(SKIP_MAX_S, SKIP_SHARE * frames / fs) * fs) // step, last_start)
    means = means[: last_start + 1]
    if earliest >= len(means):
        start = last_start * step
    else:
        start = (earliest + int(np.argmax(means[earliest:]))) * step
    start = min(start, frames - length)
    return start, start + length


def _window_loudness(loud: Loudness, start: int, end: int) -> float | None:
    steps = loud.steps[start // loud.step : max(start // loud.step + 1, end // loud.step)]
    return Loudness.integrated_from_steps(steps, loud.step)


def render_previews(
    in_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    intensity: float = 50.0,
    target_lufs: float | str = -14.0,
    ceiling_dbtp: float = -1.0,
    styles: Sequence[str] = STYLES,
    seconds: float = PREVIEW_S,
    max_seconds: float | None = None,
    progress: Progress | None = None,
) -> dict:
    """Write ``original.wav`` and ``<style>.wav`` for each style into ``out_dir``; the report.

    The report holds ``files`` ({name: path}), the excerpt's ``window_s``, the common
    ``match_lufs``, and per preview its ``settings`` (exactly what mastering the whole song in
    that style takes), measured ``loudness_lufs`` and ``true_peak_dbtp`` after matching, and
    the ``gain_db`` that matched it. Raises ``EngineError`` for bad input or settings.
    """
    report_progress = progress or _silent
    chosen = {
        style: MasterSettings(
            target_lufs=target_lufs, ceiling_dbtp=ceiling_dbtp, style=style, intensity=intensity
        )
        for style in styles
    }
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EngineError(f"cannot make the folder {folder}: {exc.strerror}") from None
    paths = {name: folder / f"{name}.wav" for name in (ORIGINAL, *chosen)}
    for path in paths.values():
        check_writable(path)  # before any work is spent
    with AudioReader(in_path, max_seconds=max_seconds) as reader:
        reader.check_stated_length()  # refused from the header, before anything is decoded
    report_progress(0.0, "reading")
    loaded, info = files.load(in_path, files.scratch_folder(folder), max_seconds)
    fs = info.sample_rate
    report_progress(0.2, "analysing")
    if isinstance(loaded, Frames):
        analysis, loud = blockmeter.analyse(loaded, fs)
    else:
        planar = planar_of(loaded)
        loud = Loudness.of(planar, fs)
        analysis = analyse(planar, fs, loud=loud)
    start, end = excerpt_window(loud, info.frames, seconds)
    pre = min(start, int(PRE_ROLL_S * fs))
    source = _read(loaded, start - pre, end)
    if isinstance(loaded, Frames):
        loaded.close()
    del loaded
    whole = analysis["integrated_lufs"]
    part = _window_loudness(loud, start, end)
    # a browser plays 48 kHz at most (a 192 kHz preview would only cost storage); everything is
    # measured at the rate it is written, since resampling drops what is above the new Nyquist
    rate = lossy_rate(fs)
    original = resample_signal(source[:, pre:], fs, rate)[0]
    clips = {ORIGINAL: original}
    measured = {
        ORIGINAL: (
            Loudness.of(original, rate).integrated(),
            db(guarded_true_peak(original, rate)[0]),
        )
    }
    details: dict[str, dict] = {ORIGINAL: {"settings": None}}
    for i, (style, settings) in enumerate(chosen.items()):
        report_progress(0.3 + 0.6 * i / len(chosen), f"rendering {style}")
        override = None
        if whole is not None and part is not None and settings.target_lufs is not None:
            override = min(-5.0, settings.target_lufs + part - whole)
        mastered = chain.master(
            [source.copy()], fs, settings, analysis=analysis, target_override=override
        )
        clips[style] = clip = resample_signal(mastered.signal[:, pre:], fs, rate)[0]
        # the chain measured the true peak of the whole render: a bound for the excerpt's
        # (the resampler's low-pass adds no more than the ceiling's margin keeps)
        measured[style] = (
            Loudness.of(clip, rate).integrated(),
            mastered.report["output"]["true_peak_dbtp"],
        )
        details[style] = {"settings": settings.to_dict()}
    report_progress(0.9, "matching loudness")
    match = _match_level(measured, ceiling_dbtp - MATCH_HEADROOM_DB)
    written = {}
    for name, clip in clips.items():
        loudness, peak = measured[name]
        gain = 0.0 if loudness is None or match is None else match - loudness
        clip *= np.float32(10 ** (gain / 20))
        path = paths[name]
        write_preview(path, clip, rate, (0, clip.shape[1]))
        written[name] = str(path)
        details[name].update(
            loudness_lufs=None if loudness is None else round(loudness + gain, 2),
            true_peak_dbtp=round(peak + gain, 2),
            gain_db=round(gain, 2),
        )
    report_progress(1.0, "done")
    return {
        "files": written,
        "window_s": [round(start / fs, 3), round(end / fs, 3)],
        "match_lufs": None if match is None else round(match, 2),
        "song_lufs": whole,
        "excerpt_lufs": None if part is None else round(part, 2),
        "sample_rate": rate,
        "previews": details,
    }


def _read(loaded: Audio | Frames, start: int, end: int) -> np.ndarray:
    if isinstance(loaded, Frames):
        return loaded.read(start, end)
    return np.ascontiguousarray(planar_of(loaded)[:, start:end], dtype=np.float32)


def _match_level(
    measured: dict[str, tuple[float | None, float]], ceiling_dbtp: float
) -> float | None:
    """The one loudness every clip is turned to, from each clip's (loudness, true peak).

    It is the highest loudness at which no clip's true peak passes the ceiling: for each clip
    that is its loudness plus its distance from peak to ceiling; the lowest of those wins."""
    room = [lufs + ceiling_dbtp - peak for lufs, peak in measured.values() if lufs is not None]
    return float(min(room)) if room else None
