"""Guests (P10): a lazy cookie, songs that move to the account, downloads that survive sign-in."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from masterbus.accounts.guests import guest_key_hash
from masterbus.accounts.models import RetiredGuestKey
from masterbus.accounts.owner import Owner
from masterbus.accounts.services import guest_keys_retired_purge
from masterbus.mastering.models import Song
from masterbus.uploads.models import Upload
from tests.accounts.forms import signup_data
from tests.platform.fixtures import guest_client, make_upload, make_user, master_song

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"
KEY = "q" * 43
GUEST = Owner(user=None, guest_key=KEY)


def _verified(email: str):
    user = make_user(email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_owner_filters_select_exactly_one_owner(alice):
    assert Owner(user=alice, guest_key=None).filter_kwargs() == {"user": alice}
    assert Owner(user=None, guest_key=KEY).filter_kwargs() == {"user": None, "guest_key": KEY}
    assert Song.objects.filter(**Owner(user=None, guest_key=None).filter_kwargs()).count() == 0
    with pytest.raises(ValueError):
        Owner(user=None, guest_key=None).create_kwargs()


def test_guest_cookie_is_created_only_when_something_is_owned(client):
    assert settings.GUEST_COOKIE_NAME not in client.get("/").cookies
    name = base64.b64encode(b"mix.wav").decode()
    response = client.post(
        "/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH="1000",
        HTTP_UPLOAD_METADATA=f"filename {name}",
    )
    assert response.status_code == 201
    cookie = response.cookies[settings.GUEST_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.GUEST_RETENTION_DAYS * 24 * 3600
    upload = Upload.objects.get()
    assert upload.guest_key == cookie.value and upload.user is None
    # The same browser keeps its identity: no new cookie on the next upload.
    again = client.post(
        "/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH="1000",
        HTTP_UPLOAD_METADATA=f"filename {name}",
    )
    assert settings.GUEST_COOKIE_NAME not in again.cookies
    assert Upload.objects.filter(guest_key=cookie.value).count() == 2


def test_account_pages_use_the_site_layout(client):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="brand"' in html and "core/site.css" in html, url


def test_a_forged_cookie_value_is_ignored(client):
    client.cookies[settings.GUEST_COOKIE_NAME] = "../../etc/passwd"
    html = client.get("/songs/").content.decode()
    assert "No songs yet" in html


def test_sign_up_with_email_verification_moves_the_guests_songs(client, song_path):
    job = master_song(GUEST, song_path)
    pending = make_upload(GUEST, song_path.read_bytes())
    guest_client(client, KEY)
    response = client.post(
        "/accounts/signup/",
        signup_data(client, email="new@example.com", password=PASSWORD),
    )
    assert response.status_code == 302
    assert Song.objects.get(pk=job.song_id).user is None  # not before the address is verified
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    song = Song.objects.get(pk=job.song_id)
    assert song.user.email == "new@example.com" and song.guest_key is None
    assert Upload.objects.get(pk=pending.pk).user == song.user
    assert "mix.wav" in client.get("/songs/").content.decode()


def test_download_asked_while_signed_out_completes_after_sign_in(client, song_path):
    alice = _verified("alice@example.com")
    job = master_song(Owner(user=alice, guest_key=None), song_path)
    client.force_login(alice)
    html = client.get(f"/songs/{job.song_id}/").content.decode()
    link = re.search(r'href="(/files/[^"]+)" class="download" data-format="wav24"', html)[1]
    client.post("/accounts/logout/")

    asked = client.get(link)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/login/?next=/files/")
    signed_in = client.post(asked["Location"], {"login": "alice@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    download = client.get(signed_in["Location"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:4] == b"RIFF"


def test_guest_link_still_downloads_after_the_guest_signs_in(client, song_path):
    bob = _verified("bob@example.com")
    job = master_song(GUEST, song_path)
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    link = re.search(r'href="(/files/[^"]+)" class="download" data-format="flac"', html)[1]
    client.post("/accounts/login/", {"login": "bob@example.com", "password": PASSWORD})
    assert Song.objects.get(pk=job.song_id).user == bob
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"fLaC"


def test_ready_email_can_be_switched_off_in_settings(client):
    alice = _verified("alice@example.com")
    client.force_login(alice)
    assert (
        'name="email_on_master_ready" checked'
        in client.get("/settings/mastering/").content.decode()
    )
    client.post("/settings/mastering/", {})
    alice.refresh_from_db()
    assert alice.email_on_master_ready is False
    client.post("/settings/mastering/", {"email_on_master_ready": "on"})
    alice.refresh_from_db()
    assert alice.email_on_master_ready is True


def _new_upload(client):
    name = base64.b64encode(b"late.wav").decode()
    return client.post(
        "/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH="1000",
        HTTP_UPLOAD_METADATA=f"filename {name}",
    )


def test_the_guest_cookie_is_retired_when_its_songs_move_to_the_account(client, song_path):
    bob = _verified("bob@example.com")
    job = master_song(GUEST, song_path)
    guest_client(client, KEY)
    signed_in = client.post("/accounts/login/", {"login": "bob@example.com", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert Song.objects.get(pk=job.song_id).user == bob
    # The browser is told to forget the guest cookie ...
    gone = signed_in.cookies[settings.GUEST_COOKIE_NAME]
    assert gone.value == "" and gone["max-age"] == 0
    # ... and the old value, replayed, is nobody: it sees none of the songs ...
    replay = guest_client(Client(), KEY)
    assert "mix.wav" not in replay.get("/songs/").content.decode()
    assert replay.get(f"/songs/{job.song_id}/").status_code == 404
    # ... and what it makes belongs to a new guest, not to the old value.
    created = _new_upload(replay)
    assert created.status_code == 201
    assert created.cookies[settings.GUEST_COOKIE_NAME].value != KEY
    assert not Upload.objects.filter(guest_key=KEY).exists()
    # A browser that still sends the old value when signing in again moves nothing in.
    client.post("/accounts/logout/")
    guest_client(client, KEY).post(
        "/accounts/login/", {"login": "bob@example.com", "password": PASSWORD}
    )
    assert not Upload.objects.filter(user=bob, filename="late.wav").exists()


def test_a_guest_who_signs_up_loses_the_old_cookie_too(client, song_path):
    job = master_song(GUEST, song_path)
    guest_client(client, KEY)
    client.post(
        "/accounts/signup/", signup_data(client, email="new@example.com", password=PASSWORD)
    )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)[1]
    confirmed = client.post(link)
    assert Song.objects.get(pk=job.song_id).user.email == "new@example.com"
    assert confirmed.cookies[settings.GUEST_COOKIE_NAME]["max-age"] == 0
    assert "mix.wav" not in guest_client(Client(), KEY).get("/songs/").content.decode()
    assert _new_upload(guest_client(Client(), KEY)).status_code == 201
    assert not Upload.objects.filter(guest_key=KEY).exists()


def test_retired_keys_are_forgotten_once_no_guest_cookie_can_be_alive(settings):
    old = RetiredGuestKey.objects.create(
        key_hash=guest_key_hash(KEY),
        retired_at=timezone.now() - timedelta(days=settings.GUEST_RETENTION_DAYS, minutes=1),
    )
    recent = RetiredGuestKey.objects.create(key_hash=guest_key_hash("r" * 43))
    assert guest_keys_retired_purge() == 1
    assert list(RetiredGuestKey.objects.all()) == [recent]
    assert not RetiredGuestKey.objects.filter(pk=old.pk).exists()
