"""Studio photos: recognised by their content, never stored as sent (as profile avatars are,
``masterbus.profiles.avatars``, with the same guards; a photo keeps its proportions instead of
being cropped to a square).

The size in the header is checked against STUDIO_PHOTO_MAX_PIXELS before anything is decoded
(decoding costs memory by pixels, not by file size); the picture is turned upright, scaled to
fit STUDIO_PHOTO_SIZE and re-encoded as WebP, which drops EXIF (the camera's location) and
anything else hidden in the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from masterbus.core.errors import DomainError

FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
CONTENT_TYPE = "image/webp"


class PhotoError(DomainError):
    code = "bad_photo"


@dataclass(frozen=True)
class Photo:
    data: bytes
    width: int
    height: int


def photo_from_upload(
    stream: BinaryIO, *, length: int, max_bytes: int, max_pixels: int, size: int
) -> Photo:
    """The re-encoded WebP of an uploaded picture, at most ``size`` pixels on its long side."""
    if length > max_bytes:
        raise PhotoError(f"That picture is {length / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB.")
    too_big = f"use one of at most {max_pixels / 1e6:g} megapixels."
    try:
        image = Image.open(stream, formats=FORMATS)
        width, height = image.size  # from the header: nothing is decoded yet
        if width * height > max_pixels:
            raise PhotoError(f"That picture is {width}×{height} pixels; {too_big}")
        image.seek(0)  # the first frame of an animation
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"That picture has too many pixels; {too_big}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoError(
            "That file is not a picture we can read: use PNG, JPEG, WebP or GIF."
        ) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=82, method=4)
    return Photo(out.getvalue(), image.width, image.height)
