"""API fixtures: users with tokens, a bearer client, short real audio."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from masterbus.api.services import token_create
from tests.support.music import music_file
from tests.uploads.helpers import metadata_header


class ApiClient:
    """Django's test client with a bearer token on every request (as a script would send it)."""

    def __init__(self, token: str) -> None:
        self.client = Client()
        self.auth = {"Authorization": f"Bearer {token}"}

    def get(self, url: str, **headers: str):
        return self.client.get(url, headers={**self.auth, **headers})

    def post(self, url: str, data: dict | None = None):
        return self.client.post(url, data or {}, content_type="application/json", headers=self.auth)

    def delete(self, url: str):
        return self.client.delete(url, headers=self.auth)

    def tus(self, method: str, url: str, data: bytes = b"", **headers: str):
        headers = {**self.auth, "Tus-Resumable": "1.0.0", **headers}
        if method == "patch":
            return self.client.patch(
                url, data, content_type="application/offset+octet-stream", headers=headers
            )
        return getattr(self.client, method)(url, headers=headers)

    def upload(self, data: bytes, filename: str = "mix.wav") -> str:
        """A whole file through the API's tus endpoint; returns the upload id."""
        created = self.tus(
            "post",
            "/api/v1/uploads/",
            **{
                "Upload-Length": str(len(data)),
                "Upload-Metadata": metadata_header(filename=filename),
            },
        )
        assert created.status_code == 201, created.content
        location = created["Location"]
        assert location.startswith("/api/v1/uploads/")
        done = self.tus("patch", location, data, **{"Upload-Offset": "0"})
        assert done.status_code == 204, done.content
        return location.rsplit("/", 1)[-1]


@pytest.fixture(scope="session")
def short_song(tmp_path_factory) -> Path:
    """6 s of music at -20 LUFS: mastering has work to do, and it is quick."""
    return music_file(tmp_path_factory.mktemp("api-audio"), seconds=6.0, lufs=-20.0, seed=11)


@pytest.fixture
def alice_api(alice) -> ApiClient:
    return ApiClient(token_create(user=alice, name="alice script")[1])


@pytest.fixture
def bob_api(bob) -> ApiClient:
    return ApiClient(token_create(user=bob, name="bob script")[1])
