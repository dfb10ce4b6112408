"""A preview set as data for the page's player and the API: one shape for both."""

from __future__ import annotations

from collections.abc import Callable

from masterbus.engine import STYLES
from masterbus.uploads.models import PreviewSet, PreviewStatus

ORIGINAL = "original"


def preview_names() -> list[str]:
    """The previews in the order they are offered: the original first, then every style."""
    return [ORIGINAL, *STYLES]


def preview_set_out(preview_set: PreviewSet, file_url: Callable[[str], str]) -> dict:
    """Status and, once done, each preview's file URL, level and the exact settings that
    master the whole song like it (``None`` for the original)."""
    done = preview_set.status == PreviewStatus.DONE
    report = preview_set.report or {}
    details = report.get("previews", {})
    previews = []
    if done:
        for name in preview_names():
            if name not in preview_set.files:
                continue
            entry = details.get(name, {})
            previews.append(
                {
                    "name": name,
                    "label": name.capitalize(),
                    "url": file_url(name),
                    "settings": entry.get("settings"),
                    "loudness_lufs": entry.get("loudness_lufs"),
                    "true_peak_dbtp": entry.get("true_peak_dbtp"),
                }
            )
    return {
        "id": preview_set.pk,
        "upload_id": preview_set.upload_id,
        "intensity": preview_set.intensity,
        "target_lufs": preview_set.target_lufs,
        "status": preview_set.status,
        "error": preview_set.error_message or None,
        "window_s": report.get("window_s") if done else None,
        "match_lufs": report.get("match_lufs") if done else None,
        "previews": previews,
    }
