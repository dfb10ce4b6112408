"""A studio's photos: added and removed by its owner, bounded in number and size."""

from __future__ import annotations

from typing import BinaryIO

from django.conf import settings

from masterbus.studios.errors import StudioLimit
from masterbus.studios.models import Studio, StudioPhoto
from masterbus.studios.photos import photo_from_upload


def photo_add(*, studio: Studio, stream: BinaryIO, length: int, caption: str = "") -> StudioPhoto:
    """Re-encode and keep a photo; nothing is written for a bad or oversized picture."""
    if studio.photos.count() >= settings.STUDIO_PHOTOS_MAX:
        raise StudioLimit(f"A studio shows at most {settings.STUDIO_PHOTOS_MAX} photos.")
    photo = photo_from_upload(
        stream,
        length=length,
        max_bytes=settings.STUDIO_PHOTO_MAX_BYTES,
        max_pixels=settings.STUDIO_PHOTO_MAX_PIXELS,
        size=settings.STUDIO_PHOTO_SIZE,
    )
    return StudioPhoto.objects.create(
        studio=studio,
        image=photo.data,
        width=photo.width,
        height=photo.height,
        caption=caption.replace("\x00", "").strip()[:200],
    )


def photo_remove(*, photo: StudioPhoto) -> None:
    photo.delete()
