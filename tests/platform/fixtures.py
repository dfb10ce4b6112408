"""Fixtures shared by the platform's Django tests: owners, real audio, real uploads, real jobs.

Registered for every test folder by tests/conftest.py (``pytest_plugins``); import the helpers
(``make_user``, ``master_song``...) from here.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from masterbus.accounts.models import User
from masterbus.accounts.owner import Owner
from masterbus.uploads.models import Upload
from masterbus.uploads.services import upload_append, upload_create
from tests.support.music import music_file

REPO = Path(__file__).resolve().parents[2]
TEST_SETTINGS = "masterbus.config.settings.test"


@pytest.fixture(scope="session")
def song_path(tmp_path_factory) -> Path:
    """A 12 s stereo song at -20 LUFS (quiet, so mastering has work to do)."""
    return music_file(tmp_path_factory.mktemp("audio"), seconds=12.0, lufs=-20.0, seed=3)


@pytest.fixture(scope="session")
def long_song_path(tmp_path_factory) -> Path:
    """A 40 s song: long enough that a worker can be killed in the middle of mastering."""
    return music_file(tmp_path_factory.mktemp("audio"), seconds=40.0, lufs=-20.0, seed=5)


def make_upload(owner: Owner, data: bytes, filename: str = "mix.wav") -> Upload:
    """A finished upload through the real upload services (content checked on completion)."""
    upload = upload_create(owner=owner, length=len(data), metadata={"filename": filename})
    return upload_append(upload=upload, offset=0, stream=io.BytesIO(data), content_length=len(data))


def make_user(email: str) -> User:
    return User.objects.create_user(email, "correct horse battery staple")


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com")


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for a worker or server subprocess that shares this test database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=TEST_SETTINGS,
        MASTERBUS_TEST_DB=str(connection.settings_dict["NAME"]),
        MASTERBUS_DATA_DIR=str(settings.DATA_DIR),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **extra,
    )
    return env


def start_worker(**extra: str) -> subprocess.Popen:
    """A real `masterbus worker` process on the test database."""
    return subprocess.Popen(
        [sys.executable, "-m", "masterbus.config.launcher", "worker", "--interval", "0.2"],
        env=subprocess_env(**extra),
        cwd=REPO,
    )


def master_song(owner: Owner, path: Path, *, target: float = -14.0, name: str = "mix.wav"):
    """Upload, create the song and run its first job in this process; returns the done Job."""
    from masterbus.mastering.models import Job
    from masterbus.mastering.runner import job_run
    from masterbus.mastering.services.options import settings_from_form
    from masterbus.mastering.services.songs import song_create_from_upload

    job = song_create_from_upload(
        owner=owner,
        upload_id=make_upload(owner, path.read_bytes(), name).pk,
        master_settings=settings_from_form(target_lufs=target, style="balanced", intensity=50),
    )
    job_run(job_id=job.pk)
    return Job.objects.select_related("song").get(pk=job.pk)


def guest_client(client, key: str):
    """A test client that carries a guest cookie (as a browser would after its first upload)."""
    client.cookies[settings.GUEST_COOKIE_NAME] = key
    return client
