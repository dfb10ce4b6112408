"""File-level entry points: read, master, write deliveries and previews, report.

This module checks a request and the file's header (rate, channels, container, a stated length
over the limit) before it loads the DSP half in ``files``: that import brings numba and the
compiled kernels (~70 MB and ~0.3 s), which a refused file should not pay for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from masterbus.engine.errors import EngineError
from masterbus.engine.io import AudioReader, check_writable
from masterbus.engine.settings import FORMATS, MasterSettings

if TYPE_CHECKING:
    import numpy as np

    from masterbus.engine.shaping import Reference

Progress = Callable[[float, str], None]


def _silent(_fraction: float, _stage: str) -> None:
    return None


def _dsp():
    """The DSP half of the entry points, imported only once the input passed its checks (for
    start-up speed and memory: see the module's docstring)."""
    from masterbus.engine import files

    return files


def _check_input(path: str | os.PathLike, max_seconds: float | None = None) -> None:
    """Refuse what the header alone shows we cannot master, before anything is decoded."""
    with AudioReader(path, max_seconds=max_seconds) as reader:
        reader.check_stated_length()


def _check_outputs(outputs: dict[str, str | os.PathLike]) -> None:
    if not outputs:
        raise EngineError("no output file given")
    for fmt, path in outputs.items():
        if fmt not in FORMATS:
            raise EngineError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
        check_writable(path)


def analyze_file(path: str | os.PathLike) -> dict:
    """Measure a file (see meter.analyse for the keys)."""
    _check_input(path)
    return _dsp().analyze_file(path)


def load_reference(path: str | os.PathLike, folder: str | os.PathLike | None = None) -> Reference:
    """Measure a reference track once (loudness and spectrum) for reference mode."""
    _check_input(path)
    return _dsp().load_reference(path, folder)


def preview_window(x: np.ndarray, fs: int, seconds: float | None = None) -> tuple[int, int]:
    """Frames (start, end) of the loudest ``seconds`` (default ~30) of a signal."""
    window = _dsp().preview_window
    return window(x, fs) if seconds is None else window(x, fs, seconds)


def master_file(
    in_path: str | os.PathLike,
    outputs: dict[str, str | os.PathLike],
    settings: MasterSettings | None = None,
    reference_path: str | os.PathLike | None = None,
    preview_path: str | os.PathLike | None = None,
    original_preview_path: str | os.PathLike | None = None,
    progress: Progress | None = None,
    *,
    target_override: float | None = None,
    reference: Reference | None = None,
    max_seconds: float | None = None,
) -> dict:
    """Master ``in_path`` into every format in ``outputs`` ({format: path}); return the report.

    ``preview_path`` gets the loudest ~30 s of the master; ``original_preview_path`` the same
    window of the original, so an A/B compares like with like. ``reference`` is an already
    measured reference track (an album measures it once for all its tracks). Audio longer
    than ``max_seconds`` (at most ``io.MAX_DURATION_S``) is refused as soon as decoding passes
    it. Long or high-rate audio (over ``blockwise.STREAM_SAMPLES`` samples) is mastered block
    by block in scratch files beside the first output, so memory stays bounded.
    """
    settings = settings or MasterSettings()
    report_progress = progress or _silent
    _check_outputs(outputs)
    report_progress(0.0, "reading")
    _check_input(in_path, max_seconds)
    return _dsp().master_file(
        in_path,
        outputs,
        settings,
        report_progress,
        reference_path=reference_path,
        preview_path=preview_path,
        original_preview_path=original_preview_path,
        target_override=target_override,
        reference=reference,
        max_seconds=max_seconds,
    )


def lossy_from_master(
    master_path: str | os.PathLike,
    out_path: str | os.PathLike,
    fmt: str = "mp3",
    *,
    ceiling_dbtp: float,
    target_lufs: float | None,
    progress: Progress | None = None,
) -> dict:
    """Write the lossy ``fmt`` delivery of a finished master (WAV 24 or float, made by
    ``master_file`` with the same ceiling and target) without mastering again; return its
    report entry. The decoded file keeps ``ceiling_dbtp`` and ``target_lufs`` (None: a nearly
    silent master, only the ceiling). ``progress`` is called before each encode; an
    exception it raises stops the work.
    """
    _check_outputs({fmt: out_path})
    if FORMATS[fmt][0] != "MP3":
        raise EngineError(f"{fmt!r} is not a lossy format")
    _check_input(master_path)
    from masterbus.engine.lossy import lossy_from_master as _lossy

    return _lossy(master_path, out_path, fmt, ceiling_dbtp, target_lufs, progress or _silent)


ALBUM_FREE_GAP_LU = 6.0  # mix levels differ this much for no musical reason (export gain)
ALBUM_KEPT_SHARE = 0.5  # share of a larger gap kept as the album's intended dynamics


def integrated_loudness(path: str | os.PathLike) -> float | None:
    """A file's integrated loudness (LUFS); None when it is too short or silent to gate."""
    _check_input(path)
    return _dsp().integrated_loudness(path)


def album_targets(loudness: Sequence[float | None], target: float) -> list[float | None]:
    """Per-track targets that even out arbitrary mix levels but keep intended quiet tracks.

    Unmastered mixes often sit several LU apart only because they were exported at different
    gains, so gaps up to ``ALBUM_FREE_GAP_LU`` below the loudest track are evened out. A track
    much quieter than that (an interlude, a ballad) is quiet on purpose: half of the excess is
    kept, so it stays clearly quieter without dropping out of the album.
    """
    known = [v for v in loudness if v is not None]
    if not known:
        return [None for _ in loudness]
    anchor = max(known)
    out: list[float | None] = []
    for value in loudness:
        if value is None:
            out.append(None)
            continue
        excess = max(0.0, anchor - value - ALBUM_FREE_GAP_LU)
        out.append(max(-40.0, target - ALBUM_KEPT_SHARE * excess))
    return out


def master_album(
    in_paths: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike,
    settings: MasterSettings | None = None,
    formats: Sequence[str] = ("wav24",),
    reference_path: str | os.PathLike | None = None,
    progress: Progress | None = None,
) -> list[dict]:
    """Master several tracks as one album: one tonal target, loudness relative to the album."""
    settings = settings or MasterSettings()
    report_progress = progress or _silent
    if not in_paths:
        raise EngineError("an album needs at least one track")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    names = [Path(p).stem for p in in_paths]
    if len(set(names)) != len(names):
        raise EngineError("album tracks need distinct file names")
    for fmt in formats:
        if fmt not in FORMATS:
            raise EngineError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
    report_progress(0.0, "analysing album")
    # only the loudness is needed here: no spectrum, true peak or waveform of every track
    loudness = [integrated_loudness(p) for p in in_paths]
    reference = load_reference(reference_path) if reference_path else None
    base = settings.target_lufs
    if base is None and reference is not None:
        base = reference.loudness
    targets = album_targets(loudness, base if base is not None else -14.0)
    reports = []
    count = len(in_paths)
    for i, (path, name, track_target) in enumerate(zip(in_paths, names, targets, strict=True)):

        def track_progress(fraction: float, stage: str, i: int = i) -> None:
            report_progress((i + fraction) / count, f"track {i + 1}/{count}: {stage}")

        outputs = {fmt: folder / f"{name}.{FORMATS[fmt][2]}" for fmt in formats}
        if len(formats) != len({FORMATS[f][2] for f in formats}):
            outputs = {fmt: folder / f"{name}.{fmt}.{FORMATS[fmt][2]}" for fmt in formats}
        report = master_file(
            path,
            outputs,
            settings,
            progress=track_progress,
            target_override=track_target,
            reference=reference,
        )
        report["album"] = {
            "track": i + 1,
            "tracks": count,
            "input_lufs": None if loudness[i] is None else round(loudness[i], 2),
            "track_target_lufs": None if track_target is None else round(track_target, 2),
        }
        reports.append(report)
    report_progress(1.0, "done")
    return reports
