"""The URL walk's studio objects for one party (tests/support/urlwalk.py): the party owns an
approved studio with a room (and a request from another client waiting at it), has an
application waiting for staff, and is the client of a booking (terms signed) at another owner's
studio, with a session file it shared there. The other owner and client are outside the walk,
so every other party is a stranger to all of it.

Names are neutral (no party markers): studios are public, so their names are not a leak."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import numpy as np
import soundfile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from masterbus.core import storage
from masterbus.studios import feeds
from masterbus.studios.models import ExtraCharge, SessionFile
from masterbus.studios.services.age import adult_confirm
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.photos import photo_add
from masterbus.studios.services.reschedule import reschedule_request
from masterbus.studios.services.samples import sample_add
from masterbus.studios.services.studios import studio_apply
from masterbus.studios.services.terms import terms_update
from masterbus.studios.session_views import session_file_url
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_room, make_studio, next_weekday

ADULT = dt.date(1990, 1, 1)


def studios_objects(user) -> dict:
    adult_confirm(user=user, born=ADULT)
    other_owner = make_user(f"studio-owner-{user.pk}@example.com")
    other_client = make_user(f"studio-client-{user.pk}@example.com")
    adult_confirm(user=other_client, born=ADULT)
    own = make_studio(user, name="Walk Studio A")
    own_room = make_room(own, name="Room A")
    elsewhere = make_room(make_studio(other_owner, name="Walk Studio B"), name="Room B")
    terms_update(studio=elsewhere.studio, text="Walk terms.")  # the party's booking is signed
    start = next_weekday(2, dt.time(12))
    end = start + dt.timedelta(hours=2)
    booking = booking_create(
        client=user, room=elsewhere, start=start, end=end, signed_name="Walk Client"
    )
    studio_booking = booking_create(client=other_client, room=own_room, start=start, end=end)
    later = start + dt.timedelta(days=1)
    return {
        "studio": own,
        "room": own_room,
        "application": studio_apply(
            owner=user, name="Walk Studio C", city="Köln", address="x", time_zone="Europe/Berlin"
        ),
        "booking": booking,
        "session_file_token": session_file_url(_session_file(booking, user), user).rsplit("/")[-1],
        "studio_booking": studio_booking,
        "studio_photo": photo_add(studio=own, stream=io.BytesIO(_jpeg()), length=1000),
        "studio_sample": sample_add(studio=own, title="Walk sample", uploaded=wav_upload()),
        "extra_charge": ExtraCharge.objects.create(
            booking=booking,
            kind="overtime",
            amount=100,
            currency="EUR",
            reason="walk",
            text="Walk charge.",
        ),
        "document": booking.agreement,
        "reschedule": reschedule_request(
            booking=studio_booking, user=other_client, start=later, end=later + (end - start)
        ),
        "room_feed_token": feeds.room_feed_path(own_room).rsplit("/", 1)[1].removesuffix(".ics"),
        "user_feed_token": feeds.user_feed_path(user).rsplit("/", 1)[1].removesuffix(".ics"),
    }


def wav_upload(seconds: float = 1.0, name: str = "take.wav") -> SimpleUploadedFile:
    """A short stereo sine as an uploaded WAV file."""
    t = np.arange(int(44100 * seconds)) / 44100
    tone = 0.2 * np.sin(2 * np.pi * 440 * t)
    out = io.BytesIO()
    soundfile.write(out, np.stack([tone, tone], axis=1), 44100, format="WAV", subtype="PCM_16")
    return SimpleUploadedFile(name, out.getvalue())


def _session_file(booking, user) -> SessionFile:
    """A file the party shared in their booking (written as the sharing service stores it)."""
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "take.wav"
        local.write_bytes(b"RIFF walk take")
        name = storage.store(f"bookings/{booking.pk.hex}/walk.wav", local)
    return SessionFile.objects.create(
        booking=booking, uploader=user, name="take.wav", size=14, stored_name=name
    )


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 200)).save(out, "JPEG")
    return out.getvalue()
