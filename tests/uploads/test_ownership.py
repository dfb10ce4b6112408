"""Every upload URL answers only its owner (P18): two users and two guests try each other's."""

from __future__ import annotations

import pytest
from django.test import Client

from masterbus.accounts.models import User
from masterbus.accounts.owner import Owner
from masterbus.accounts.services import guest_claim
from masterbus.uploads.errors import UploadError
from masterbus.uploads.models import Upload
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner
from tests.uploads.helpers import TusClient, upload_id

pytestmark = pytest.mark.django_db


def _signed_in(email: str) -> TusClient:
    client = Client()
    client.force_login(User.objects.create_user(email, "pw-" + email))
    return TusClient(client)


@pytest.fixture
def owners() -> dict[str, TusClient]:
    return {
        "alice": _signed_in("alice@example.com"),
        "bob": _signed_in("bob@example.com"),
        "guest": TusClient(Client()),
        "other guest": TusClient(Client()),
    }


def test_nobody_else_can_see_write_or_delete_an_upload(owners, wav_bytes: bytes) -> None:
    locations = {}
    for name, tus in owners.items():
        created = tus.create(len(wav_bytes), filename=f"{name}.wav")
        assert created.status_code == 201
        locations[name] = created["Location"]
        assert tus.patch(locations[name], 0, wav_bytes[:1000]).status_code == 204

    for owner, location in locations.items():
        for intruder, tus in owners.items():
            if intruder == owner:
                continue
            assert tus.head(location).status_code == 404, (intruder, owner)
            response = tus.patch(location, 1000, wav_bytes[1000:2000])
            assert response.status_code == 404, (intruder, owner)
            assert response.content.decode() == "There is no such upload."
            assert tus.delete(location).status_code == 404, (intruder, owner)

    for name, location in locations.items():
        upload = Upload.objects.get(pk=upload_id(location))
        assert upload.offset == 1000
        assert upload.filename == f"{name}.wav"
        assert upload_file_path(upload).read_bytes() == wav_bytes[:1000]
        assert owners[name].head(location).status_code == 200


def test_a_guest_upload_is_owned_by_the_guest_cookie(wav_bytes: bytes) -> None:
    browser = Client()
    response = TusClient(browser).create(len(wav_bytes))
    key = response.cookies["mb_guest"].value
    upload = Upload.objects.get(pk=upload_id(response["Location"]))
    assert (upload.user, upload.guest_key) == (None, key)
    # The same cookie in another browser is the same guest; no cookie is nobody.
    thief = Client()
    assert TusClient(thief).head(response["Location"]).status_code == 404
    thief.cookies["mb_guest"] = key
    assert TusClient(thief).head(response["Location"]).status_code == 200


def test_a_guest_upload_follows_the_guest_into_their_account(wav_bytes: bytes) -> None:
    guest = Client()
    location, _ = TusClient(guest).upload(wav_bytes)
    key = guest.cookies["mb_guest"].value
    user = User.objects.create_user("carol@example.com", "pw")
    assert guest_claim(guest_key=key, user=user) == 1
    guest.force_login(user)
    assert TusClient(guest).head(location).status_code == 200
    assert upload_get_for_owner(Owner(user=user, guest_key=None), upload_id(location)).user == user


def test_selector_refuses_unknown_ids_and_visitors_without_identity(wav_bytes: bytes) -> None:
    location, _ = TusClient(Client()).upload(wav_bytes)
    for owner, upload_ref in [
        (Owner(user=None, guest_key=None), upload_id(location)),
        (Owner(user=None, guest_key="x" * 43), upload_id(location)),
        (Owner(user=None, guest_key=None), "not-a-uuid"),
    ]:
        with pytest.raises(UploadError) as err:
            upload_get_for_owner(owner, upload_ref)
        assert err.value.code == "not_found"
