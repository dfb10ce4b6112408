"""Fixtures for the tus endpoint tests: a tus client, real audio, a private MEDIA_ROOT."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.uploads.helpers import TusClient, encode_audio


@pytest.fixture
def tus(client: Client) -> TusClient:
    return TusClient(client)


@pytest.fixture(scope="session")
def wav_bytes() -> bytes:
    return encode_audio(3.0)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test gets its own MEDIA_ROOT, so it can see every file the server wrote."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
