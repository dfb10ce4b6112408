"""P31: everything in the profile is editable; avatars are pictures by content, re-encoded,
and only their owner sees them."""

from __future__ import annotations

import io
import warnings

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st
from PIL import Image, ImageFile

from masterbus.profiles.avatars import AvatarError, avatar_from_upload
from masterbus.profiles.handles import PLATFORMS_BY_KEY, HandleError
from masterbus.profiles.models import Profile
from masterbus.profiles.selectors import profile_get

pytestmark = pytest.mark.django_db


def picture(fmt: str = "PNG", size: tuple[int, int] = (640, 480), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (48.0, 51.0, 30.0)}  # GPS info
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(client, data: bytes, name: str = "me.png"):
    file = io.BytesIO(data)
    file.name = name
    return client.post("/settings/profile/avatar/upload", {"avatar": file})


def test_settings_need_sign_in(client):
    response = client.get("/settings/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_name_and_handles_are_saved_as_canonical_links(signed_in, alice):
    response = signed_in.post(
        "/settings/profile/",
        {
            "display_name": "  DJ Alice ",
            "soundcloud": "soundcloud.com/dj-alice",
            "spotify": "https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF?si=x",
            "bandcamp": "https://djalice.bandcamp.com/album/first",
            "youtube": "@DJ.Alice",
            "instagram": "",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "DJ Alice"
    assert profile_get(alice).handles == {
        "soundcloud": "https://soundcloud.com/dj-alice",
        "spotify": "https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF",
        "bandcamp": "https://djalice.bandcamp.com",
        "youtube": "https://www.youtube.com/@DJ.Alice",
    }
    page = signed_in.get("/settings/profile/").content.decode()
    assert 'value="https://soundcloud.com/dj-alice"' in page  # editable again as saved
    # Saving the form as shown keeps everything; clearing a field removes that handle.
    form = {"display_name": "Alice", **profile_get(alice).handles, "youtube": ""}
    assert signed_in.post("/settings/profile/", form).status_code == 302
    assert set(profile_get(alice).handles) == {"soundcloud", "spotify", "bandcamp"}


@pytest.mark.parametrize(
    ("platform", "value"),
    [
        ("soundcloud", "https://evil.example/soundcloud.com/x"),
        ("soundcloud", "javascript:alert(1)"),
        ("spotify", "https://open.spotify.com/artist/short"),
        ("instagram", "https://www.instagram.com.evil.example/me"),
        ("youtube", "@a b"),
        ("bandcamp", "https://bandcamp.com/"),
    ],
)
def test_a_bad_handle_is_refused_with_a_clear_message(signed_in, alice, platform, value):
    with pytest.raises(HandleError):
        PLATFORMS_BY_KEY[platform].canonical(value)
    response = signed_in.post("/settings/profile/", {"display_name": "Alice", platform: value})
    assert response.status_code == 400
    assert PLATFORMS_BY_KEY[platform].label in response.content.decode()
    assert not Profile.objects.filter(user=alice).exists()  # nothing half-saved
    alice.refresh_from_db()
    assert alice.display_name == ""


def test_an_avatar_is_re_encoded_square_without_metadata(signed_in, alice):
    sent = picture("JPEG", (1200, 800), exif=True)
    assert b"SecretCam" in sent
    assert upload(signed_in, sent, "me.jpg").status_code == 302
    stored = bytes(profile_get(alice).avatar)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "WEBP"
    assert image.size == (settings.AVATAR_SIZE, settings.AVATAR_SIZE)
    assert b"SecretCam" not in stored and not image.getexif()
    assert len(stored) < 30_000

    served = signed_in.get(f"/settings/profile/avatar?v={profile_get(alice).avatar_version}")
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served.content == stored
    assert "private" in served["Cache-Control"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"I am not a picture at all" * 10, "me.png", "not a picture we can read"),
        (picture("BMP"), "me.png", "not a picture we can read"),  # a format we do not take
        (picture()[:200], "cut.png", "damaged or incomplete"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_keeps_the_old_avatar(
    signed_in, alice, data, name, message
):
    assert upload(signed_in, picture()).status_code == 302
    before = bytes(profile_get(alice).avatar)
    response = upload(signed_in, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert bytes(profile_get(alice).avatar) == before


def test_a_huge_file_or_too_many_pixels_is_refused(signed_in, alice, settings):
    settings.AVATAR_MAX_BYTES = 50_000
    big = upload(signed_in, picture("PNG", (200, 200)) + b"\0" * 60_000)
    assert big.status_code == 400 and "at most 0.05 MB" in big.content.decode()
    # A tiny file that claims a giant picture (a decompression bomb) is refused before decoding.
    header = io.BytesIO()
    Image.new("1", (9000, 9000)).save(header, format="PNG")
    bomb = upload(signed_in, header.getvalue(), "bomb.png")
    assert bomb.status_code == 400 and "megapixels" in bomb.content.decode()
    assert profile_get(alice).avatar is None


def test_a_small_file_declaring_a_huge_picture_is_refused_before_decoding(
    signed_in, alice, monkeypatch
):
    """A 6300x6300 PNG of a few kilobytes would cost about 450 MB of web memory to decode: the
    size in its header is checked against AVATAR_MAX_PIXELS (4 MP) and nothing is decoded."""
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda image: decoded.append(image.size) or real_load(image)
    )
    header = io.BytesIO()
    Image.new("1", (6300, 6300)).save(header, format="PNG")
    assert len(header.getvalue()) < 120_000
    bomb = upload(signed_in, header.getvalue(), "bomb.png")
    assert bomb.status_code == 400
    assert "6300×6300 pixels; use one of at most 4 megapixels" in bomb.content.decode()
    assert decoded == [] and profile_get(alice).avatar is None
    assert settings.AVATAR_MAX_PIXELS == 4_000_000
    assert upload(signed_in, picture("PNG", (2000, 2000))).status_code == 302  # 4 MP is fine
    assert set(decoded) == {(2000, 2000)}


def test_pillows_own_bomb_guard_is_a_clear_message_too(monkeypatch):
    """Pillow's DecompressionBombWarning (as an error) and Error both become an AvatarError."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    for size, message in (((40, 40), "too many pixels"), ((64, 64), "too many pixels")):
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            data = picture("PNG", size)
            with pytest.raises(AvatarError, match=message):
                avatar_from_upload(io.BytesIO(data), size=32, max_bytes=10**6, length=len(data))


def test_only_the_owner_sees_an_avatar_and_it_can_be_removed(client, signed_in, alice, bob):
    upload(signed_in, picture())
    client_bob = client.__class__()
    client_bob.force_login(bob)
    # bob has none; there is no id to try
    assert client_bob.get("/settings/profile/avatar").status_code == 404
    anonymous = client.__class__().get("/settings/profile/avatar")
    assert anonymous.status_code == 302  # sent to sign in
    assert signed_in.post("/settings/profile/avatar/remove").status_code == 302
    assert signed_in.get("/settings/profile/avatar").status_code == 404
    assert profile_get(alice).avatar is None


def test_the_profile_page_links_to_every_other_account_setting(signed_in):
    page = signed_in.get("/settings/profile/").content.decode()
    for name in (
        "profiles:appearance",
        "account_email",
        "account_change_password",
        "mfa_index",
        "socialaccount_connections",
        "mastering:preferences",
        "security:security",
        "api-pages:tokens",
        "rights:data",
    ):
        assert f'href="{reverse(name)}"' in page, name


GOOD = {fmt: picture(fmt, (64, 48)) for fmt in ("PNG", "JPEG", "GIF", "WEBP")}


@settings_hypothesis(max_examples=150, deadline=None)
@given(
    fmt=st.sampled_from(sorted(GOOD)),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=8),
)
def test_damaged_pictures_never_crash_the_avatar_decoder(fmt, cut, flips):
    """Any truncation or corruption of a real picture gives an avatar or a clear AvatarError."""
    data = bytearray(GOOD[fmt][: max(cut, 1)])
    for where, value in flips:
        data[where % len(data)] = value
    try:
        out = avatar_from_upload(
            io.BytesIO(bytes(data)), size=32, max_bytes=10**6, length=len(data)
        )
    except AvatarError as exc:
        assert str(exc)
    else:
        assert Image.open(io.BytesIO(out)).size == (32, 32)
