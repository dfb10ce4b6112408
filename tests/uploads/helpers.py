"""A tus client over Django's test client, and real audio bytes to send."""

from __future__ import annotations

import base64
import io

import numpy as np
import soundfile as sf
from django.test import Client

from tests.support.music import render_music

TUS = {"Tus-Resumable": "1.0.0"}
OFFSET_TYPE = "application/offset+octet-stream"


def encode_audio(seconds: float, fmt: str = "WAV", subtype: str = "PCM_16", seed: int = 0) -> bytes:
    """A song-like clip encoded in memory, as a browser would send the file's bytes."""
    buffer = io.BytesIO()
    sf.write(buffer, render_music(seconds, seed=seed), 44100, format=fmt, subtype=subtype)
    return buffer.getvalue()


def tone_wav(seconds: float) -> bytes:
    """A plain stereo tone: long files fast (render_music takes seconds per minute of audio)."""
    t = np.arange(round(seconds * 44100)) / 44100
    tone = (0.25 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([tone, tone * 0.5], axis=1), 44100, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def metadata_header(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


class TusClient:
    """The protocol steps a tus client performs, on Django's test client (one browser)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def create(self, length: int, filename: str = "song.wav", **headers: str):
        return self.client.post(
            "/uploads/",
            headers={
                **TUS,
                "Upload-Length": str(length),
                "Upload-Metadata": metadata_header(filename=filename, filetype="audio/wav"),
                **headers,
            },
        )

    def patch(self, location: str, offset: int, data: bytes, content_type: str = OFFSET_TYPE):
        return self.client.patch(
            location,
            data=data,
            content_type=content_type,
            headers={**TUS, "Upload-Offset": str(offset)},
        )

    def head(self, location: str):
        return self.client.head(location, headers=TUS)

    def delete(self, location: str):
        return self.client.delete(location, headers=TUS)

    def upload(self, data: bytes, filename: str = "song.wav", chunk: int = 1 << 20):
        """Create and send the whole file in chunks; returns (location, last PATCH response)."""
        created = self.create(len(data), filename)
        assert created.status_code == 201, created.content
        location = created["Location"]
        response = None
        for start in range(0, len(data), chunk):
            response = self.patch(location, start, data[start : start + chunk])
        return location, response


def upload_id(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1]
