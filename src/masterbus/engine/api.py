"""File-level entry points: read, master, write deliveries and previews, report."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from masterbus.engine import blockwise, chain
from masterbus.engine.errors import EngineError
from masterbus.engine.io import (
    Audio,
    AudioInfo,
    check_writable,
    read_audio,
    write_audio,
    write_blocks,
)
from masterbus.engine.meter import Loudness, analyse, db, guarded_true_peak
from masterbus.engine.settings import FORMATS, MasterSettings
from masterbus.engine.store import Frames

Progress = Callable[[float, str], None]
PREVIEW_S = 30.0
FADE_S = 1.0


def _silent(_fraction: float, _stage: str) -> None:
    return None


def _planar(audio: Audio) -> np.ndarray:
    return np.ascontiguousarray(audio.samples.T)  # no copy: read_audio stores planar data


def _resample(x: np.ndarray, fs: int, target: int | None) -> tuple[np.ndarray, int]:
    if target is None or target == fs:
        return x, fs
    import soxr  # only when asked: keeps the default path's imports lean

    y = soxr.resample(x.T, fs, target, quality="HQ")
    return np.ascontiguousarray(np.asarray(y, dtype=np.float32).T), target


def _prime_kernels() -> threading.Thread:
    """Load the compiled kernels in the background while the file is read.

    The first call of any numba kernel costs ~0.3 s (its machinery loads once per process);
    libsndfile decodes without holding the GIL, so the two overlap.
    """

    def prime() -> None:
        from masterbus.engine import kernels

        kernels.block_max_product(np.ones(1, np.float32), np.ones(1, np.float32), 1)

    thread = threading.Thread(target=prime, name="masterbus-prime", daemon=True)
    thread.start()
    return thread


def _scratch_folder(preferred: str | os.PathLike) -> Path:
    """Where scratch arrays of a long file go: beside the output (the same disk as the
    deliveries), else the system's temp folder."""
    folder = Path(preferred)
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else Path(tempfile.gettempdir())


def _load(
    path: str | os.PathLike, folder: Path, max_seconds: float | None = None
) -> tuple[Audio | Frames, AudioInfo]:
    return blockwise.load(path, folder, blockwise.STREAM_SAMPLES, max_seconds=max_seconds)


def analyze_file(path: str | os.PathLike) -> dict:
    """Measure a file (see meter.analyse for the keys)."""
    audio, info = _load(path, _scratch_folder(Path(path).parent))
    if isinstance(audio, Frames):
        result, _loud = blockwise.analyse(audio, info.sample_rate)
        audio.close()
    else:
        result = analyse(_planar(audio), audio.sample_rate)
    result["format"] = info.format
    result["subtype"] = info.subtype
    return result


def preview_window(x: np.ndarray, fs: int, seconds: float = PREVIEW_S) -> tuple[int, int]:
    """Frames (start, end) of the loudest ``seconds`` of a signal."""
    n = x.shape[1]
    if min(n, int(seconds * fs)) >= n:
        return 0, n
    return window_of(n, Loudness.of(x, fs), fs, seconds)


def window_of(n: int, loud: Loudness, fs: int, seconds: float = PREVIEW_S) -> tuple[int, int]:
    """``preview_window`` from a signal's length and loudness measurement."""
    length = min(n, int(seconds * fs))
    if length >= n:
        return 0, n
    per_window = max(1, round(length / loud.step))
    steps = loud.steps
    if len(steps) <= per_window:
        return 0, length
    sums = np.convolve(steps, np.ones(per_window), mode="valid")
    start = int(np.argmax(sums)) * loud.step
    start = min(start, n - length)
    return start, start + length


def write_preview(path: str | os.PathLike, x: np.ndarray, fs: int, window: tuple[int, int]) -> None:
    """An excerpt with short fades; the format follows the extension (mp3 or 16-bit wav)."""
    start, end = window
    clip = np.array(x[:, start:end], dtype=np.float32)
    fade = min(int(FADE_S * fs), clip.shape[1] // 2)
    if fade > 0:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        clip[:, :fade] *= ramp
        clip[:, -fade:] *= ramp[::-1]
    fmt = "mp3" if str(path).lower().endswith(".mp3") else "wav16"
    write_audio(path, clip.T, fs, fmt)


def _lossy_rate(fs: int) -> int:
    """MP3 carries at most 48 kHz: high rates go to 48 or 44.1 kHz (whichever divides)."""
    if fs <= 48000:
        return fs
    return 44100 if fs % 44100 == 0 else 48000


def _lossy_signal(x: np.ndarray, fs: int) -> tuple[np.ndarray, int]:
    return _resample(x, fs, _lossy_rate(fs))


def _encode_and_measure(
    path: str | os.PathLike, x: np.ndarray, fs: int, fmt: str
) -> tuple[float, float | None]:
    """Write ``x`` as lossy ``fmt`` at ``path``, decode it, return (true peak, loudness)."""
    signal, rate = _lossy_signal(x, fs)
    write_audio(path, signal.T, rate, fmt)
    decoded = read_audio(path)
    planar = _planar(decoded)
    peak = db(guarded_true_peak(planar, decoded.sample_rate)[0])
    return peak, Loudness.of(planar, decoded.sample_rate).integrated()


def _encode_and_measure_long(
    path: str | os.PathLike, x: Frames, fs: int, fmt: str
) -> tuple[float, float | None]:
    """``_encode_and_measure`` block by block: resampled, encoded, decoded and measured."""
    rate = _lossy_rate(fs)
    write_blocks(path, blockwise.resampled_blocks(x, fs, rate), rate, x.rows, fmt)
    decoded, info = blockwise.load(path, x.folder, 0)
    assert isinstance(decoded, Frames)
    peak = db(blockwise.guarded_true_peak(decoded, info.sample_rate)[0])
    loudness = blockwise.loudness_of(decoded, info.sample_rate).integrated()
    decoded.close()
    return peak, loudness


def _check_outputs(outputs: dict[str, str | os.PathLike]) -> None:
    if not outputs:
        raise EngineError("no output file given")
    for fmt, path in outputs.items():
        if fmt not in FORMATS:
            raise EngineError(f"unknown output format {fmt!r}: use one of {', '.join(FORMATS)}")
        check_writable(path)


def load_reference(
    path: str | os.PathLike, folder: str | os.PathLike | None = None
) -> chain.Reference:
    audio, info = _load(path, _scratch_folder(folder or Path(path).parent))
    if isinstance(audio, Frames):
        measured, _loud = blockwise.analyse(audio, info.sample_rate)
        audio.close()
    else:
        measured = analyse(_planar(audio), audio.sample_rate)
    return chain.Reference(loudness=measured["integrated_lufs"], spectrum=measured["spectrum"])


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
    reference: chain.Reference | None = None,
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
    priming = _prime_kernels()
    folder = _scratch_folder(Path(next(iter(outputs.values()))).parent)
    loaded, info = _load(in_path, folder, max_seconds)
    priming.join()
    if isinstance(loaded, Frames):
        return _master_long(
            loaded,
            info,
            outputs,
            settings,
            reference,
            reference_path,
            preview_path,
            original_preview_path,
            report_progress,
            target_override,
            Path(in_path).name,
        )
    audio = loaded
    x, fs = _resample(_planar(audio), audio.sample_rate, settings.sample_rate)
    if reference is None and reference_path:
        reference = load_reference(reference_path, folder)
    window = None
    if preview_path or original_preview_path:
        # one window for both previews, chosen on the original, so the A/B compares like with like
        window = preview_window(x, fs)
        if original_preview_path:
            write_preview(original_preview_path, x, fs, window)
    lossy = [(fmt, path) for fmt, path in outputs.items() if FORMATS[fmt][0] == "MP3"]
    lossy_check = None
    if lossy:
        fmt0, path0 = lossy[0]

        def lossy_check(signal: np.ndarray) -> tuple[float, float | None]:
            return _encode_and_measure(path0, signal, fs, fmt0)

    source = [x]
    del x  # the chain owns the signal now (it reuses the memory)
    mastered = chain.master(
        source,
        fs,
        settings,
        reference=reference,
        target_override=target_override,
        lossy_check=lossy_check,
        progress=report_progress,
    )
    y, report = mastered.signal, mastered.report
    report_progress(0.9, "writing")
    written = {}
    for fmt, path in outputs.items():
        if FORMATS[fmt][0] == "MP3":
            assert mastered.lossy_signal is not None
            if (fmt, path) != lossy[0]:  # the first lossy file was written while checking
                signal, rate = _lossy_signal(mastered.lossy_signal, fs)
                write_audio(path, signal.T, rate, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": _lossy_rate(fs)}
        else:
            write_audio(path, y.T, fs, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": fs}
    stage = {"name": "delivery", "sample_rate": fs, "files": list(written.values())}
    stage["dither"] = {fmt: "TPDF" for fmt in written if FORMATS[fmt][1] in ("PCM_16", "PCM_24")}
    report["stages"].append(stage)
    report["outputs"] = {fmt: str(path) for fmt, path in outputs.items()}
    report["preview"] = None
    if window is not None:
        report["preview_window_s"] = [round(window[0] / fs, 3), round(window[1] / fs, 3)]
        if preview_path:
            write_preview(preview_path, y, fs, window)
            report["preview"] = str(preview_path)
        if original_preview_path:
            report["original_preview"] = str(original_preview_path)
    report["source"] = {
        "name": Path(in_path).name,
        "format": audio.format,
        "subtype": audio.subtype,
        "sample_rate": audio.sample_rate,
    }
    report_progress(1.0, "done")
    return report


def _master_long(
    x: Frames,
    info: AudioInfo,
    outputs: dict[str, str | os.PathLike],
    settings: MasterSettings,
    reference: chain.Reference | None,
    reference_path: str | os.PathLike | None,
    preview_path: str | os.PathLike | None,
    original_preview_path: str | os.PathLike | None,
    report_progress: Progress,
    target_override: float | None,
    name: str,
) -> dict:
    """``master_file`` for a signal in scratch files: every stage block by block."""
    x, fs = blockwise.resample(x, info.sample_rate, settings.sample_rate)
    if reference is None and reference_path:
        reference = load_reference(reference_path, x.folder)
    before = blockwise.analyse(x, fs)
    window = None
    if preview_path or original_preview_path:
        window = window_of(x.frames, before[1], fs)
        if original_preview_path:
            clip = x.read(*window)
            write_preview(original_preview_path, clip, fs, (0, clip.shape[1]))
    lossy = [(fmt, path) for fmt, path in outputs.items() if FORMATS[fmt][0] == "MP3"]
    lossy_check = None
    if lossy:
        fmt0, path0 = lossy[0]

        def lossy_check(signal: Frames) -> tuple[float, float | None]:
            return _encode_and_measure_long(path0, signal, fs, fmt0)

    mastered = blockwise.master(
        x,
        fs,
        settings,
        reference=reference,
        target_override=target_override,
        lossy_check=lossy_check,
        progress=report_progress,
        before=before,
    )
    y, report = mastered.signal, mastered.report
    assert isinstance(y, Frames)
    report_progress(0.9, "writing")
    written = {}
    for fmt, path in outputs.items():
        if FORMATS[fmt][0] == "MP3":
            assert isinstance(mastered.lossy_signal, Frames)
            rate = _lossy_rate(fs)
            if (fmt, path) != lossy[0]:  # the first lossy file was written while checking
                blocks = blockwise.resampled_blocks(mastered.lossy_signal, fs, rate)
                write_blocks(path, blocks, rate, y.rows, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": rate}
        else:
            write_blocks(path, (block for _start, block in y.blocks()), fs, y.rows, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": fs}
    stage = {"name": "delivery", "sample_rate": fs, "files": list(written.values())}
    stage["dither"] = {fmt: "TPDF" for fmt in written if FORMATS[fmt][1] in ("PCM_16", "PCM_24")}
    report["stages"].append(stage)
    report["outputs"] = {fmt: str(path) for fmt, path in outputs.items()}
    report["preview"] = None
    if window is not None:
        report["preview_window_s"] = [round(window[0] / fs, 3), round(window[1] / fs, 3)]
        if preview_path:
            clip = y.read(*window)
            write_preview(preview_path, clip, fs, (0, clip.shape[1]))
            report["preview"] = str(preview_path)
        if original_preview_path:
            report["original_preview"] = str(original_preview_path)
    report["source"] = {
        "name": name,
        "format": info.format,
        "subtype": info.subtype,
        "sample_rate": info.sample_rate,
    }
    y.close()
    x.close()
    if mastered.lossy_signal is not None:
        mastered.lossy_signal.close()
    report_progress(1.0, "done")
    return report


ALBUM_FREE_GAP_LU = 6.0  # mix levels differ this much for no musical reason (export gain)
ALBUM_KEPT_SHARE = 0.5  # share of a larger gap kept as the album's intended dynamics


def integrated_loudness(path: str | os.PathLike) -> float | None:
    """A file's integrated loudness (LUFS); None when it is too short or silent to gate."""
    audio, info = _load(path, _scratch_folder(Path(path).parent))
    if isinstance(audio, Frames):
        value = blockwise.loudness_of(audio, info.sample_rate).integrated()
        audio.close()
        return value
    return Loudness.of(_planar(audio), audio.sample_rate).integrated()


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
