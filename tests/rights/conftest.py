"""A clean slate per test (the shared fixtures come from tests/conftest.py)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Rate-limit counters live in the cache: none carries over (used captcha tokens are rows,
    gone with the test's database); forms may be sent back at once."""
    cache.clear()
    settings.CAPTCHA_MIN_SECONDS = 0
    yield
    cache.clear()
