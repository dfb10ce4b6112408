"""Turn a job's report into what the result page shows: numbers, SVG paths, plain feedback."""

from __future__ import annotations

import math
from collections.abc import Callable

from masterbus.mastering.models import DeliveryFormat, Job, JobStatus

WAVE_W, WAVE_H = 1000, 120
SPEC_W, SPEC_H = 1000, 240
SPEC_FLOOR_DB, SPEC_TOP_DB = -90.0, 0.0


def waveform_path(analysis: dict | None) -> str:
    """An SVG path of min/max peaks across the song (a filled envelope)."""
    peaks = ((analysis or {}).get("waveform") or {}).get("peaks") or []
    if not peaks:
        return ""
    n = len(peaks)
    half = WAVE_H / 2
    top = []
    bottom = []
    for i, pair in enumerate(peaks):
        x = i * WAVE_W / max(n - 1, 1)
        low, high = _finite(pair[0]), _finite(pair[1])
        top.append(f"{x:.1f},{half - max(min(high, 1.0), -1.0) * half:.1f}")
        bottom.append(f"{x:.1f},{half - max(min(low, 1.0), -1.0) * half:.1f}")
    return "M" + " L".join(top) + " L" + " L".join(reversed(bottom)) + " Z"


def spectrum_points(analysis: dict | None, key: str = "mid_db") -> str:
    """SVG polyline points of a 1/3-octave spectrum, log frequency 20 Hz to 20 kHz."""
    spectrum = (analysis or {}).get("spectrum") or {}
    freqs = spectrum.get("freqs_hz") or []
    levels = spectrum.get(key) or []
    points = []
    lo, hi = math.log10(20.0), math.log10(20000.0)
    for f, db in zip(freqs, levels, strict=False):
        if not f or f < 20 or f > 20000 or db is None:
            continue
        x = (math.log10(f) - lo) / (hi - lo) * SPEC_W
        level = min(max(_finite(db, SPEC_FLOOR_DB), SPEC_FLOOR_DB), SPEC_TOP_DB)
        y = (SPEC_TOP_DB - level) / (SPEC_TOP_DB - SPEC_FLOOR_DB) * SPEC_H
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


SPECTRUM_TICKS = [
    (
        f"{(math.log10(f) - math.log10(20)) / (math.log10(20000) - math.log10(20)) * SPEC_W:.1f}",
        label,
    )
    for f, label in ((100, "100 Hz"), (1000, "1 kHz"), (10000, "10 kHz"))
]


def measurements(report: dict | None) -> list[dict]:
    """Before/after rows for the numbers people compare: loudness, true peak, range."""
    before = (report or {}).get("input") or {}
    after = (report or {}).get("output") or {}
    rows = [
        ("Integrated loudness", "integrated_lufs", "LUFS"),
        ("True peak", "true_peak_dbtp", "dBTP"),
        ("Loudness range", "lra_lu", "LU"),
        ("Short-term max", "short_term_max_lufs", "LUFS"),
        ("Crest factor", "crest_db", "dB"),
    ]
    return [
        {
            "label": label,
            "before": _fmt(before.get(key)),
            "after": _fmt(after.get(key)),
            "unit": unit,
        }
        for label, key, unit in rows
    ]


def ab_match_gain(report: dict | None) -> float:
    """Gain (dB) for the master so it plays as loud as the original; 0 when unknown."""
    value = (report or {}).get("ab_match_gain_db")
    return round(_finite(value, 0.0), 2)


def version_summary(report: dict | None) -> dict:
    after = (report or {}).get("output") or {}
    return {
        "lufs": _fmt(after.get("integrated_lufs")),
        "true_peak": _fmt(after.get("true_peak_dbtp")),
        "lra": _fmt(after.get("lra_lu")),
    }


def format_states(job: Job) -> dict[str, str]:
    """Every delivery format, in the order shown: ready (stored), preparing, or failed (the job
    failed before it was made). For the page and the API alike."""
    ready = {d.format for d in job.deliveries.all()}
    waiting = "failed" if job.status == JobStatus.FAILED else "preparing"
    return {fmt: "ready" if fmt in ready else waiting for fmt in DeliveryFormat.values}


def downloads(job: Job, file_url: Callable[[str, object], str]) -> list[dict]:
    """One row per delivery format: its label and state, and a link once ready."""
    stored = {d.format: d for d in job.deliveries.all()}
    labels = dict(DeliveryFormat.choices)
    rows = []
    for fmt, state in format_states(job).items():
        row = {"format": fmt, "label": labels[fmt], "state": state}
        if fmt in stored:
            row.update(size=stored[fmt].size, url=file_url("delivery", stored[fmt].pk))
        rows.append(row)
    return rows


def _finite(value, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _fmt(value) -> str:
    if value is None:
        return "—"  # silence has no loudness
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    return f"{number:.1f}" if math.isfinite(number) else "—"
