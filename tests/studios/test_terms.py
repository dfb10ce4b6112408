"""The studio's terms, signed by typed name with the time, the exact text, its SHA-256 and the
version; a change of terms is a new version and never touches a signed booking."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from masterbus.studios.errors import TermsRequired
from masterbus.studios.models import Agreement, Booking
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.terms import agreement_intact, terms_update
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db
TERMS = "No smoking in the live room.\nOvertime is charged per started half hour."
HOUR = dt.timedelta(hours=1)


def test_terms_are_signed_with_name_time_hash_and_version(client_user, room):
    studio = terms_update(studio=room.studio, text=TERMS)
    assert studio.terms_version == 2
    start = next_weekday(1, dt.time(14))
    with pytest.raises(TermsRequired, match="full name"):
        booking_create(client=client_user, room=room, start=start, end=start + 2 * HOUR)
    with pytest.raises(TermsRequired, match="changed"):
        booking_create(
            client=client_user, room=room, start=start, end=start + 2 * HOUR,
            signed_name="Ada Client", terms_version=1,
        )  # fmt: skip
    assert not Booking.objects.exists()
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + 2 * HOUR,
        signed_name=" Ada Client ", terms_version=2,
    )  # fmt: skip
    agreement = Agreement.objects.get(booking=booking)
    assert (agreement.signed_name, agreement.terms_version, agreement.text) == (
        "Ada Client",
        2,
        TERMS,
    )
    assert agreement.text_sha256 == hashlib.sha256(TERMS.encode()).hexdigest()
    assert agreement_intact(agreement) and agreement.signer == client_user
    terms_update(studio=studio, text=TERMS + "\nNo pets.")
    agreement.refresh_from_db()
    assert agreement.terms_version == 2 and agreement.text == TERMS  # what was signed stays
    agreement.text += " (edited)"
    assert not agreement_intact(agreement)


def test_the_booking_page_shows_the_terms_and_the_signature(client, client_user, owner, room):
    client.force_login(owner)
    client.post(reverse("studios:terms_save", args=[room.studio.pk]), {"terms": TERMS})
    client.force_login(client_user)
    start = next_weekday(1, dt.time(14))
    query = {"room": room.pk, "start": start.astimezone(dt.UTC).isoformat(), "hours": 2}
    page = client.get(reverse("studios:book"), query).content.decode()
    assert "No smoking in the live room." in page and 'name="terms_version" value="2"' in page
    unsigned = client.post(reverse("studios:book"), {**query, "terms_version": 2})
    assert unsigned.status_code == 409 and "full name" in unsigned.content.decode()
    signed = client.post(
        reverse("studios:book"), {**query, "terms_version": 2, "signed_name": "Ada"}
    )
    booking = Booking.objects.get()
    assert signed.url == reverse("studios:booking", args=[booking.pk])
    shown = client.get(signed.url).content.decode()
    assert "Signed by Ada on" in shown and booking.agreement.text_sha256 in shown
    client.force_login(owner)
    assert "Signed by Ada on" in client.get(signed.url).content.decode()
