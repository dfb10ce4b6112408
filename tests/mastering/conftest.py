"""Shared platform fixtures (see tests/platform/fixtures.py)."""

from tests.platform.fixtures import *  # noqa: F403
