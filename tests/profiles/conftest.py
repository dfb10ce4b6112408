"""Helpers for consent, and a signed-in client (the shared fixtures come from tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.test import Client


def choose_cookies(client: Client, choice: str) -> Client:
    """Make a cookie choice through the real consent form ("all", "none")."""
    response = client.post("/privacy/consent/", {"choice": choice})
    assert response.status_code == 302
    return client


@pytest.fixture
def signed_in(client, alice) -> Client:
    client.force_login(alice)
    return client
