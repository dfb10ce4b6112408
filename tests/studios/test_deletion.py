"""P32 for bookings: a deleted client's booking stays (the studio's financial record) without
the link to them and without what identifies them: the note is emptied and the typed name of
the signature becomes "deleted user", while its time, version, text and hash stay, so an
agreement PDF either side downloaded before still matches the booking."""

from __future__ import annotations

import datetime as dt

import pytest

from masterbus.rights.deletion import SIGNER_DELETED, user_purge
from masterbus.studios.models import Agreement, Booking
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.terms import agreement_intact, terms_update
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(client_user, room):
    terms_update(studio=room.studio, text="No smoking in the live room.")
    start = next_weekday(1, dt.time(14))
    return booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2),
        note="Ada Lovelace, call me on +49 30 1234567", signed_name="Ada Lovelace",
        terms_version=2,
    )  # fmt: skip


def test_deleting_the_client_scrubs_the_note_and_the_signed_name(booking, client_user):
    before = Agreement.objects.get(booking=booking)
    user_purge(user=client_user)
    kept = Booking.objects.get(pk=booking.pk)
    assert kept.client is None and kept.note == "" and kept.total == booking.total
    agreement = Agreement.objects.get(booking=kept)
    assert agreement.signer is None and agreement.signed_name == SIGNER_DELETED
    assert (agreement.signed_at, agreement.terms_version, agreement.text_sha256) == (
        before.signed_at,
        before.terms_version,
        before.text_sha256,
    )
    assert agreement_intact(agreement)


def test_deleting_the_owner_keeps_the_clients_booking_and_signature(booking, owner):
    user_purge(user=owner)
    kept = Booking.objects.get(pk=booking.pk)
    assert kept.room.studio.owner is None and kept.client is not None
    assert kept.note.startswith("Ada") and kept.agreement.signed_name == "Ada Lovelace"
