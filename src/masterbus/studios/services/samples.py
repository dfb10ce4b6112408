"""A studio's portfolio: audio samples its owner adds and removes, bounded in number, size and
length, recognised by content with the header check every upload gets (the engine's probe)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from masterbus.core import storage
from masterbus.engine import EngineError
from masterbus.engine.io import probe
from masterbus.studios.errors import SampleInvalid, StudioLimit
from masterbus.studios.models import Studio, StudioSample


def sample_add(*, studio: Studio, title: str, uploaded) -> StudioSample:
    """Keep an uploaded file as a portfolio sample once its content reads as audio within the
    bounds; nothing is kept for a refused file."""
    title = title.replace("\x00", "").strip()[:120]
    if not title:
        raise SampleInvalid("Give the sample a title.")
    if studio.samples.count() >= settings.STUDIO_SAMPLES_MAX:
        raise StudioLimit(f"A studio shows at most {settings.STUDIO_SAMPLES_MAX} samples.")
    if uploaded.size > settings.STUDIO_SAMPLE_MAX_BYTES:
        most = settings.STUDIO_SAMPLE_MAX_BYTES / 1e6
        raise SampleInvalid(f"A sample is at most {most:g} MB.")
    sample = StudioSample(studio=studio, owner=studio.owner, title=title, size=uploaded.size)
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "sample"
        with local.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            info = probe(local, max_seconds=settings.STUDIO_SAMPLE_MAX_SECONDS)
        except EngineError:
            raise SampleInvalid(
                "This file is not audio we can play (WAV, FLAC, AIFF, OGG or MP3), or it is "
                f"longer than {settings.STUDIO_SAMPLE_MAX_SECONDS // 60} minutes."
            ) from None
        sample.format = info.format.lower() if info.format.isalnum() else "bin"
        sample.duration_s = info.duration_s
        sample.stored_name = storage.store(
            f"studios/{studio.pk.hex}/samples/{sample.pk.hex}.{sample.format}", local
        )
    try:
        sample.save()
    except Exception:
        storage.delete([sample.stored_name])
        raise
    return sample


def sample_remove(*, sample: StudioSample) -> None:
    """Remove a sample and, once that is committed, its file."""
    name = sample.stored_name
    sample.delete()
    transaction.on_commit(lambda: storage.delete([name]))
