"""Shared platform fixtures (see tests/platform/fixtures.py) and the browser tests' chromium."""

from tests.browser.conftest import chromium  # noqa: F401
from tests.platform.fixtures import *  # noqa: F403
