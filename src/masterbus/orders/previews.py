"""Each delivered file's full-length preview and waveform, made by the worker.

The preview is an MP3 by the engine's writer (320 kbps CBR, at 48 kHz or less): the client hears
the whole version, but no 24-bit or high-rate master leaves before approval. The waveform (the
engine's min/max peaks) comes from the same read and draws the picture the notes are pinned to.
Idempotent: files that have a preview are skipped, so a retried task redoes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings

from masterbus.core import storage
from masterbus.engine import EngineError
from masterbus.engine.io import read_audio, write_audio
from masterbus.engine.meter import waveform
from masterbus.engine.outputs import lossy_signal, planar_of
from masterbus.orders.models import DeliveryFile


def delivery_prepare(*, delivery_id: int) -> None:
    for file in DeliveryFile.objects.filter(delivery_id=delivery_id, preview=""):
        try:
            preview, peaks = _preview(file)
        except EngineError as exc:
            DeliveryFile.objects.filter(pk=file.pk).update(preview_error=str(exc)[:300])
            continue
        DeliveryFile.objects.filter(pk=file.pk).update(preview=preview, waveform=peaks)


def _preview(file: DeliveryFile) -> tuple[str, dict]:
    name = f"{Path(file.stored_name).with_suffix('')}-preview.mp3"
    with storage.local_copy(file.stored_name) as source:
        audio = read_audio(source, max_seconds=settings.MAX_AUDIO_SECONDS)
    planar = planar_of(audio)
    peaks = waveform(planar)
    lossy, rate = lossy_signal(planar, audio.sample_rate)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preview.mp3"
        write_audio(path, lossy.T, rate, "mp3")
        return storage.store(name, path), peaks
