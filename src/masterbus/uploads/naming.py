"""Display names for uploaded files: whatever a client sends, we keep a short, harmless label.

The name is only ever shown (templates escape it) and never used to build a path: the bytes live
under a server-chosen name.
"""

from __future__ import annotations

import unicodedata

MAX_DISPLAY_LENGTH = 150
MAX_EXTENSION_LENGTH = 10
FALLBACK_NAME = "untitled"


def display_filename(raw: str) -> str:
    """Reduce a client-given file name to its last path part, printable and at most 150 chars."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters (NUL, newlines, right-to-left overrides) only hide or spoof.
    name = "".join(" " if ch.isspace() else ch for ch in name if not _invisible(ch))
    name = " ".join(name.split()).strip(". ")
    if not name:
        return FALLBACK_NAME
    if len(name) <= MAX_DISPLAY_LENGTH:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and stem and len(ext) <= MAX_EXTENSION_LENGTH:
        return f"{stem[: MAX_DISPLAY_LENGTH - len(ext) - 2]}….{ext}"
    return f"{name[: MAX_DISPLAY_LENGTH - 1]}…"


def display_filetype(raw: str) -> str:
    """A declared media type, kept only if it looks like one ("audio/wav")."""
    value = raw.strip()[:100]
    if value.isascii() and value.isprintable() and " " not in value:
        return value
    return ""


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} and not ch.isspace()
