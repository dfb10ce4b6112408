"""Fixtures for the engine tests: rendered music, cached for the whole session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.music import music_file


@pytest.fixture(scope="session")
def music(tmp_path_factory) -> Callable[..., Path]:
    """``music(**kwargs)`` renders (once per session) a file with ``music_file``'s options."""
    folder = tmp_path_factory.mktemp("music")
    cache: dict[tuple, Path] = {}

    def make(**kwargs) -> Path:
        key = tuple(sorted(kwargs.items()))
        if key not in cache:
            cache[key] = music_file(folder, **kwargs)
        return cache[key]

    return make


@pytest.fixture
def unwritable_dir(tmp_path) -> Path:
    """A folder the engine cannot create files in, also when the tests run as root."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        fd, probe = tempfile.mkstemp(dir=folder)
    except OSError:
        yield folder
    else:
        # Root ignores permission bits; sysfs refuses new files even to root.
        os.close(fd)
        os.unlink(probe)
        yield Path("/sys")
    folder.chmod(0o755)
