"""Storage bridging: local disk (hard link or copy) and non-local storage (object stores)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage

from masterbus.core import storage


def _local(tmp_path: Path, data: bytes = b"RIFF" + bytes(range(256)) * 40) -> Path:
    path = tmp_path / "work.bin"
    path.write_bytes(data)
    return path


def test_disk_storage_adopts_the_file_by_hard_link(tmp_path: Path):
    source = _local(tmp_path)
    name = storage.store("songs/test/link.bin", source)
    stored = Path(default_storage.path(name))
    assert stored.read_bytes() == source.read_bytes()
    assert os.stat(stored).st_ino == os.stat(source).st_ino  # one file, not two copies
    source.unlink()  # the upload's own name goes away; the song's stays
    assert stored.exists()
    storage.delete([name])


def test_another_filesystem_falls_back_to_a_copy(tmp_path: Path, monkeypatch):
    source = _local(tmp_path)

    def cross_device(*_args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    name = storage.store("songs/test/copy.bin", source)
    assert Path(default_storage.path(name)).read_bytes() == source.read_bytes()
    storage.delete([name])


def test_storing_again_replaces_instead_of_adding_a_second_file(tmp_path: Path):
    first = storage.store("songs/test/again.bin", _local(tmp_path, b"one"))
    second = storage.store("songs/test/again.bin", _local(tmp_path, b"two"))
    assert first == second == "songs/test/again.bin"
    assert default_storage.open(second).read() == b"two"
    assert default_storage.listdir("songs/test")[1] == ["again.bin"]
    storage.delete([second])
    storage.remove_empty_dirs("songs/test")
    assert not default_storage.exists("songs/test")


class ObjectStorage:
    """Like S3: no local paths, every byte goes through the storage API."""

    def __init__(self) -> None:
        self._inner = InMemoryStorage()

    def __getattr__(self, attr: str):
        return getattr(self._inner, attr)

    def path(self, name: str) -> str:
        raise NotImplementedError("this storage has no local paths")


@pytest.fixture
def object_storage(monkeypatch) -> ObjectStorage:
    fake = ObjectStorage()
    monkeypatch.setattr(storage, "default_storage", fake)
    return fake


def test_non_local_storage_copies_in_and_out(object_storage, tmp_path: Path):
    source = _local(tmp_path)
    name = storage.store("songs/s3/original.wav", source)
    assert object_storage.open(name).read() == source.read_bytes()
    with storage.local_copy(name) as local:
        assert local.read_bytes() == source.read_bytes() and local.suffix == ".wav"
    assert not local.exists()  # the temporary copy is gone afterwards
    storage.delete([name])
    storage.remove_empty_dirs("songs/s3")  # no local folders: nothing to do, no error
    assert not object_storage.exists(name)
