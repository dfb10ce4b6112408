"""P23 for bookings: kept as the studio's financial record for the payments' retention period
(7 years from the session's end), then anonymised like the payments: no client link, no note,
no typed name; dates, prices and the signed text's hash stay. A periodic job, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from masterbus.config import periodic
from masterbus.rights.deletion import SIGNER_DELETED
from masterbus.studios.models import Agreement, Booking
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.retention import bookings_retention_anonymise
from masterbus.studios.services.terms import terms_update
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db


def test_bookings_are_anonymised_after_the_retention_period(client_user, room, settings):
    terms_update(studio=room.studio, text="No smoking.")
    start = next_weekday(1, dt.time(14))
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2),
        note="Ada, +49 30 1234567", signed_name="Ada Lovelace", terms_version=2,
    )  # fmt: skip
    kept_until = booking.ends_at + dt.timedelta(days=settings.PAYMENTS_RETENTION_DAYS)
    assert bookings_retention_anonymise(now=kept_until - dt.timedelta(minutes=1)) == 0
    assert Booking.objects.get(pk=booking.pk).client == client_user
    assert bookings_retention_anonymise(now=kept_until + dt.timedelta(minutes=1)) == 1
    old = Booking.objects.get(pk=booking.pk)
    assert (old.client, old.note, old.total) == (None, "", booking.total)
    agreement = Agreement.objects.get(booking=old)
    assert (agreement.signer, agreement.signed_name) == (None, SIGNER_DELETED)
    assert agreement.text_sha256 == booking.agreement.text_sha256
    assert bookings_retention_anonymise(now=kept_until + dt.timedelta(days=1)) == 0


def test_the_job_runs_with_the_periodic_jobs():
    assert "booking records anonymised" in periodic.run_once()
