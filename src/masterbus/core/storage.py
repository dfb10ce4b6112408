"""Moving files in and out of Django's storage under names the server chooses.

The engine reads and writes local paths; storage may be local disk (the embedded default) or an
object store (scale-out). These helpers are the only place that bridges the two.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage


def store(name: str, local_path: Path) -> str:
    """Save a local file under exactly ``name``, replacing an older file of that name.

    On disk storage on the same filesystem the file is hard-linked: a 500 MB original is adopted
    instantly and never exists twice on disk. Anything else is copied through the storage API.
    """
    if default_storage.exists(name):
        default_storage.delete(name)
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:
        target = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(local_path, target)
            return name
        except FileExistsError:
            raise RuntimeError(f"storage name {name} was taken while saving") from None
        except OSError:
            pass  # another filesystem: copy
    with open(local_path, "rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:  # a concurrent writer took the name: never keep two copies
        default_storage.delete(saved)
        raise RuntimeError(f"storage name {name} was taken while saving")
    return saved


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path with the stored file's bytes: the file itself on disk storage, else a copy."""
    try:
        yield Path(default_storage.path(name))
        return
    except NotImplementedError:
        pass
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        with default_storage.open(name, "rb") as src:
            shutil.copyfileobj(src, tmp, 1 << 20)
        tmp.flush()
        yield Path(tmp.name)


def delete(names: list[str]) -> None:
    """Delete stored files; names that are empty or already gone are skipped."""
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def remove_empty_dirs(prefix: str) -> None:
    """Tidy the song's folder on disk storage once its files are gone."""
    try:
        root = Path(default_storage.path(prefix))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        root.rmdir()
