"""A fresh client address per test and the cache's stored keys (the shared fixtures come from
tests/conftest.py)."""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache


@pytest.fixture
def address() -> str:
    """A random client address of its own, so no other test's counters interfere (the cache is
    not cleared: on the scale-out run it is a Redis shared with the servers under test)."""
    return "10." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))


def cache_entries() -> list[str]:
    """Every key and value in the cache, as text (locmem or Redis)."""
    backend = cache._cache if hasattr(cache, "_cache") else None
    if isinstance(backend, dict):  # locmem: pickled values
        return [f"{key} {value!r}" for key, value in backend.items()]
    client = cache._cache.get_client()  # Redis
    return [f"{key!r} {client.get(key)!r}" for key in client.keys("*")]
