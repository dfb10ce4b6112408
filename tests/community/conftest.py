"""Community test helpers: members, a moderator in the moderator role, and a mastered song whose
master preview is a real stored WAV (written directly, so a test needs no engine run)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from masterbus.mastering.models import Job, JobStatus, Song
from masterbus.rights.roles import MODERATOR
from tests.platform.fixtures import make_user


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """User ids repeat between tests (rolled back), so the rate counters must not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def carol(db):
    return make_user("carol@example.com")


@pytest.fixture
def moderator(db):
    user = make_user("mod@example.com")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=MODERATOR))
    return user


def wav_bytes(seconds: float = 0.5) -> bytes:
    rate = 44100
    t = np.arange(int(rate * seconds)) / rate
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.1 * np.sin(2 * np.pi * 440 * t), rate, format="WAV")
    return buffer.getvalue()


def mastered_song(user, title: str = "Night drive") -> Job:
    """A song of ``user`` with one finished version whose preview is stored."""
    song = Song.objects.create(user=user, title=title, original="x/original.wav", original_size=1)
    preview = default_storage.save(f"tests/community/{song.pk}.wav", ContentFile(wav_bytes()))
    return Job.objects.create(
        song=song,
        number=1,
        settings={},
        status=JobStatus.DONE,
        preview=preview,
        report={"output": {"integrated_lufs": -14.04}},
    )
