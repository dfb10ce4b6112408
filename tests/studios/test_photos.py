"""Studio photos: recognised by content, bounded (count, bytes, pixels checked before
decoding), turned upright and re-encoded as WebP without the camera's metadata; shown on the
listed studio's page; only the owner adds or removes them."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from masterbus.studios.models import StudioPhoto
from masterbus.studios.photos import PhotoError
from masterbus.studios.services.photos import photo_add
from masterbus.studios.services.studios import studio_apply
from tests.studios.conftest import make_adult

pytestmark = pytest.mark.django_db
ORIENTATION, MAKE = 0x0112, 0x010F


def jpeg(width: int = 300, height: int = 200, *, rotated: bool = False) -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "Secret Camera"
    if rotated:
        exif[ORIENTATION] = 6  # stored sideways: shown rotated by 90°
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(client, studio, data: bytes, name: str = "room.jpg"):
    return client.post(
        reverse("studios:photo_add", args=[studio.pk]),
        {"photo": SimpleUploadedFile(name, data), "caption": "The live room"},
    )


def test_a_photo_is_re_encoded_upright_without_metadata_and_shown(client, owner, studio):
    client.force_login(owner)
    assert upload(client, studio, jpeg(3000, 2000, rotated=True)).status_code == 302
    photo = StudioPhoto.objects.get()
    assert (photo.width, photo.height) == (1067, 1600)  # upright, long side 1600, proportions
    image = Image.open(io.BytesIO(bytes(photo.image)))
    assert image.format == "WEBP" and not image.getexif() and b"Secret Camera" not in photo.image
    client.logout()
    page = client.get(reverse("studios:studio", args=[studio.pk])).content.decode()
    assert (
        reverse("studios:photo", args=[photo.file_name]) in page and 'alt="The live room"' in page
    )
    answer = client.get(reverse("studios:photo", args=[photo.file_name]))
    assert answer.status_code == 200 and answer["Content-Type"] == "image/webp"


def test_bad_files_too_many_pixels_and_too_many_photos_are_refused(client, owner, studio, settings):
    client.force_login(owner)
    upload(client, studio, b"%PDF-1.4 not a picture", "x.png")
    settings.STUDIO_PHOTO_MAX_PIXELS = 10_000
    with pytest.raises(PhotoError, match="pixels"):
        photo_add(studio=studio, stream=io.BytesIO(jpeg(200, 100)), length=2000)
    assert not StudioPhoto.objects.exists()
    settings.STUDIO_PHOTO_MAX_PIXELS, settings.STUDIO_PHOTOS_MAX = 25_000_000, 2
    for _ in range(3):
        upload(client, studio, jpeg())
    assert StudioPhoto.objects.count() == 2


def test_only_the_owner_adds_or_removes_and_unlisted_photos_stay_private(client, owner, studio):
    stranger = make_adult("stranger@example.com")
    photo = photo_add(studio=studio, stream=io.BytesIO(jpeg()), length=1000)
    client.force_login(stranger)
    assert upload(client, studio, jpeg()).status_code == 404
    assert client.post(reverse("studios:photo_remove", args=[photo.pk])).status_code == 404
    waiting = studio_apply(
        owner=owner, name="Not yet", city="Köln", address="x", time_zone="Europe/Berlin"
    )
    hidden = photo_add(studio=waiting, stream=io.BytesIO(jpeg()), length=1000)
    assert client.get(reverse("studios:photo", args=[hidden.file_name])).status_code == 404
    for name in ("0", "x.webp", "\x00.webp"):
        assert client.get(reverse("studios:photo", args=[name])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("studios:photo", args=[hidden.file_name])).status_code == 200
    client.post(reverse("studios:photo_remove", args=[photo.pk]))
    assert not StudioPhoto.objects.filter(pk=photo.pk).exists()
