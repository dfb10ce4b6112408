"""Reading stored files in tests on any storage: the disk's own path, or (S3 on the scale-out
run) a temporary copy."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage


def local_file(name: str) -> str:
    """A local path holding the stored file ``name`` (a copy only where storage has no paths)."""
    try:
        return default_storage.path(name)
    except NotImplementedError:
        with (
            default_storage.open(name) as source,
            tempfile.NamedTemporaryFile(suffix=Path(name).suffix, delete=False) as copy,
        ):
            shutil.copyfileobj(source, copy)
        return copy.name
