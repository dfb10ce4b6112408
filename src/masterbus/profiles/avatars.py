"""Avatar images (P31): recognised by their content, never stored as sent.

Whatever arrives is decoded by Pillow, turned upright, cropped to a centred square, scaled to
AVATAR_SIZE and re-encoded as WebP: that drops metadata (EXIF location) and anything hidden in
the file, and bounds what we keep to a few kilobytes.

Decoding costs memory by pixels, not by file size (a 116 KB PNG can declare 6300x6300 pixels,
about 450 MB decoded), so the size in the header is checked against AVATAR_MAX_PIXELS first:
``Image.open`` reads only the header, and nothing is decoded above the limit. The limit is far
below Pillow's own bomb guard, whose warning and error are refused with the same message.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from masterbus.core.errors import DomainError

FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
CONTENT_TYPE = "image/webp"


class AvatarError(DomainError, ValueError):
    """The file cannot be an avatar; the message says why in plain words."""

    code = "bad_avatar"


def avatar_from_upload(
    stream: BinaryIO, *, size: int, max_bytes: int, length: int, max_pixels: int = 4_000_000
) -> bytes:
    """The WebP bytes of a square avatar made from an uploaded picture of ``length`` bytes; a
    picture of more than ``max_pixels`` pixels is refused before it is decoded."""
    if length > max_bytes:
        raise AvatarError(
            f"That picture is {length / 1e6:.1f} MB; an avatar can be at most "
            f"{max_bytes / 1e6:g} MB."
        )
    too_big = f"use one of at most {max_pixels / 1e6:g} megapixels."
    unreadable = "That file is not a picture we can read: use PNG, JPEG, WebP or GIF."
    try:
        image = Image.open(stream, formats=FORMATS)
    except (UnidentifiedImageError, OSError):
        raise AvatarError(unreadable) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarError(f"That picture has too many pixels; {too_big}") from None
    width, height = image.size  # from the header: nothing is decoded yet
    if width * height > max_pixels:
        raise AvatarError(f"That picture is {width}×{height} pixels; {too_big}")
    try:
        image.seek(0)  # the first frame of an animation
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AvatarError(f"That picture has too many pixels; {too_big}") from None
    except (OSError, SyntaxError, ValueError):
        raise AvatarError("That picture is damaged or incomplete; try another file.") from None
    image = ImageOps.exif_transpose(image).convert("RGBA")
    square = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()
