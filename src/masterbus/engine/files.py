"""The DSP half of the file entry points in ``api`` (which checks the request and the file's
header first): read a file into memory or, when long, into scratch arrays; analyse it; master
it and write its deliveries and previews."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from masterbus.engine import blockmeter, blockwise, chain, store
from masterbus.engine.io import Audio, AudioInfo, write_audio, write_blocks
from masterbus.engine.kernels.startup import prime
from masterbus.engine.meter import Loudness, analyse
from masterbus.engine.outputs import (
    encode_and_measure,
    encode_and_measure_long,
    lossy_rate,
    lossy_signal,
    planar_of,
    preview_window,
    resample_signal,
    window_of,
    write_preview,
)
from masterbus.engine.settings import FORMATS, MasterSettings
from masterbus.engine.shaping import Reference
from masterbus.engine.store import Frames

Progress = Callable[[float, str], None]


def _prime_kernels() -> threading.Thread:
    """Load the compiled kernels in the background while the file is read.

    The first call of any numba kernel costs ~0.3 s (its machinery loads once per process);
    libsndfile decodes without holding the GIL, so the two overlap.
    """
    thread = threading.Thread(target=prime, name="masterbus-prime", daemon=True)
    thread.start()
    return thread


def scratch_folder(preferred: str | os.PathLike) -> Path:
    """Where scratch arrays of a long file go: beside the output (the same disk as the
    deliveries), else the system's temp folder."""
    folder = Path(preferred)
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else Path(tempfile.gettempdir())


def load(
    path: str | os.PathLike, folder: Path, max_seconds: float | None = None
) -> tuple[Audio | Frames, AudioInfo]:
    return store.load(path, folder, blockwise.STREAM_SAMPLES, max_seconds=max_seconds)


def analyze_file(path: str | os.PathLike) -> dict:
    """Measure a file (see meter.analyse for the keys)."""
    audio, info = load(path, scratch_folder(Path(path).parent))
    if isinstance(audio, Frames):
        result, _loud = blockmeter.analyse(audio, info.sample_rate)
        audio.close()
    else:
        result = analyse(planar_of(audio), audio.sample_rate)
    result["format"] = info.format
    result["subtype"] = info.subtype
    return result


def load_reference(path: str | os.PathLike, folder: str | os.PathLike | None = None) -> Reference:
    audio, info = load(path, scratch_folder(folder or Path(path).parent))
    if isinstance(audio, Frames):
        measured, _loud = blockmeter.analyse(audio, info.sample_rate)
        audio.close()
    else:
        measured = analyse(planar_of(audio), audio.sample_rate)
    return Reference(
        loudness=measured["integrated_lufs"],
        spectrum=measured["spectrum"],
        loudness_range=measured["lra_lu"],
    )


def master_file(
    in_path: str | os.PathLike,
    outputs: dict[str, str | os.PathLike],
    settings: MasterSettings,
    report_progress: Progress,
    *,
    reference_path: str | os.PathLike | None = None,
    preview_path: str | os.PathLike | None = None,
    original_preview_path: str | os.PathLike | None = None,
    target_override: float | None = None,
    reference: Reference | None = None,
    max_seconds: float | None = None,
) -> dict:
    """``api.master_file`` once the request and the file's header are checked."""
    priming = _prime_kernels()
    folder = scratch_folder(Path(next(iter(outputs.values()))).parent)
    loaded, info = load(in_path, folder, max_seconds)
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
    x, fs = resample_signal(planar_of(audio), audio.sample_rate, settings.sample_rate)
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
            return encode_and_measure(path0, signal, fs, fmt0)

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
                signal, rate = lossy_signal(mastered.lossy_signal, fs)
                write_audio(path, signal.T, rate, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": lossy_rate(fs)}
        else:
            write_audio(path, y.T, fs, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": fs}
    if window is not None and preview_path:
        write_preview(preview_path, y, fs, window)
    _record_outputs(report, written, outputs, fs, window, preview_path, original_preview_path)
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
    reference: Reference | None,
    reference_path: str | os.PathLike | None,
    preview_path: str | os.PathLike | None,
    original_preview_path: str | os.PathLike | None,
    report_progress: Progress,
    target_override: float | None,
    name: str,
) -> dict:
    """``master_file`` for a signal in scratch files: every stage block by block."""
    x, fs = store.resample(x, info.sample_rate, settings.sample_rate)
    if reference is None and reference_path:
        reference = load_reference(reference_path, x.folder)
    before = blockmeter.analyse(x, fs)
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
            return encode_and_measure_long(path0, signal, fs, fmt0)

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
            rate = lossy_rate(fs)
            if (fmt, path) != lossy[0]:  # the first lossy file was written while checking
                blocks = store.resampled_blocks(mastered.lossy_signal, fs, rate)
                write_blocks(path, blocks, rate, y.rows, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": rate}
        else:
            write_blocks(path, (block for _start, block in y.blocks()), fs, y.rows, fmt)
            written[fmt] = {"path": str(path), "format": fmt, "sample_rate": fs}
    if window is not None and preview_path:
        clip = y.read(*window)
        write_preview(preview_path, clip, fs, (0, clip.shape[1]))
    _record_outputs(report, written, outputs, fs, window, preview_path, original_preview_path)
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


def _record_outputs(
    report: dict,
    written: dict[str, dict],
    outputs: dict[str, str | os.PathLike],
    fs: int,
    window: tuple[int, int] | None,
    preview_path: str | os.PathLike | None,
    original_preview_path: str | os.PathLike | None,
) -> None:
    """The report's delivery stage, outputs and previews: the same for both paths."""
    stage = {"name": "delivery", "sample_rate": fs, "files": list(written.values())}
    stage["dither"] = {fmt: "TPDF" for fmt in written if FORMATS[fmt][1] in ("PCM_16", "PCM_24")}
    report["stages"].append(stage)
    report["outputs"] = {fmt: str(path) for fmt, path in outputs.items()}
    report["preview"] = None
    if window is not None:
        report["preview_window_s"] = [round(window[0] / fs, 3), round(window[1] / fs, 3)]
        if preview_path:
            report["preview"] = str(preview_path)
        if original_preview_path:
            report["original_preview"] = str(original_preview_path)


def integrated_loudness(path: str | os.PathLike) -> float | None:
    """A file's integrated loudness (LUFS); None when it is too short or silent to gate."""
    audio, info = load(path, scratch_folder(Path(path).parent))
    if isinstance(audio, Frames):
        value = blockmeter.loudness_of(audio, info.sample_rate).integrated()
        audio.close()
        return value
    return Loudness.of(planar_of(audio), audio.sample_rate).integrated()
