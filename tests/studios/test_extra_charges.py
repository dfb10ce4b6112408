"""The additional-charge form (no-show, overtime, damage): the studio fills it in, the client
signs the exact text (name, time, SHA-256, form version) as one more signed document of the
booking next to its terms, then it is charged (the saved card off-session, else the hosted
checkout); its sealed PDF verifies; strangers see nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from masterbus.messaging.models import Notification
from masterbus.payments.models import Payment, PaymentStatus
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Agreement, BookingStatus, ExtraChargeStatus
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.extra_charges import charge_create, charge_refuse
from masterbus.studios.services.payment import booking_checkout_start
from masterbus.studios.services.terms import terms_update
from tests.studios.conftest import make_adult, make_room, make_studio
from tests.studios.test_agreement_pdf import page_text, verify

pytestmark = pytest.mark.django_db
PAGE = "https://masterbus.test/booking"


@pytest.fixture
def confirmed(payments_server, client, client_user, owner):
    studio = make_studio(owner, opens=dt.time(0), closes=dt.time(0), instant_book=True)
    terms_update(studio=studio, text="Overtime is charged per started hour.")
    room = make_room(studio, hourly_rate=5000, minimum_hours=1)
    start = (timezone.now() + dt.timedelta(hours=30)).replace(minute=0, second=0, microsecond=0)
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2),
        signed_name="Ada Lovelace",
    )  # fmt: skip
    checkout = booking_checkout_start(booking=booking, success_url=PAGE, cancel_url=PAGE)
    payments_server.pay(checkout.url)
    payments_server.deliver_new(client)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    return booking


def test_the_studio_asks_the_client_signs_and_pays_at_the_checkout(
    payments_server, client, client_user, owner, confirmed
):
    client.force_login(owner)
    page = reverse("studios:booking", args=[confirmed.pk])
    assert "Ask for an additional charge" in client.get(page).content.decode()
    client.post(
        reverse("studios:charge_create", args=[confirmed.pk]),
        {"kind": "overtime", "amount": "40.00", "reason": "Ran 45 minutes over."},
    )
    [charge] = confirmed.extra_charges.all()
    assert (charge.amount, charge.status) == (4000, ExtraChargeStatus.AWAITING_SIGNATURE)
    assert "Ran 45 minutes over." in charge.text and "€40.00" in charge.text
    assert Notification.objects.filter(user=client_user, title__contains="additional").exists()

    client.force_login(client_user)
    shown = client.get(page).content.decode()
    digest = hashlib.sha256(charge.text.encode()).hexdigest()
    assert "Sign the form" in shown and digest in shown
    client.post(reverse("studios:charge_sign", args=[charge.pk]), {"signed_name": "Ada Lovelace"})
    charge.refresh_from_db()
    assert charge.status == ExtraChargeStatus.AWAITING_PAYMENT
    documents = Agreement.objects.filter(booking=confirmed).order_by("signed_at")
    assert [d.kind for d in documents] == ["terms", "charge"]  # several signed documents
    signed = documents[1]
    assert (signed.text, signed.text_sha256, signed.signed_name, signed.terms_version) == (
        charge.text, digest, "Ada Lovelace", 1,
    )  # fmt: skip
    assert confirmed.agreement.kind == "terms"  # the terms stay the booking's agreement

    data = client.get(reverse("studios:booking_document", args=[confirmed.pk, signed.pk]))
    assert data.status_code == 200 and verify(data.content).bottom_line
    assert digest in page_text(data.content) and "Additional charge form" in page_text(data.content)

    answer = client.post(reverse("studios:charge_pay", args=[charge.pk]))
    assert payments_server.pay(answer.url).status_code == 303
    payments_server.deliver_new(client)
    charge.refresh_from_db()
    payment = Payment.objects.get(purpose="booking_extra")
    assert charge.status == ExtraChargeStatus.PAID and payment.status == PaymentStatus.PAID
    assert payment.payee == owner and payment.amount == 4000


def test_a_saved_card_pays_a_signed_charge_off_session(payments_server, client, client_user, owner):
    studio = make_studio(owner, opens=dt.time(0), closes=dt.time(0))
    room = make_room(studio, hourly_rate=5000, minimum_hours=1)
    start = (timezone.now() + dt.timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=1)
    )
    client.force_login(client_user)
    answer = client.post(reverse("studios:booking_save_card", args=[booking.pk]))
    payments_server.pay(answer.url)
    payments_server.deliver_new(client)
    client.force_login(owner)
    client.post(reverse("studios:booking_accept", args=[booking.pk]))
    payments_server.deliver_new(client)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    charge = charge_create(booking=booking, user=owner, kind="damage", amount=2500, reason="Cable")
    client.force_login(client_user)
    client.post(reverse("studios:charge_sign", args=[charge.pk]), {"signed_name": "Ada"})
    payments_server.deliver_new(client)
    charge.refresh_from_db()
    assert charge.status == ExtraChargeStatus.PAID
    assert Payment.objects.get(purpose="booking_extra").checkout_session_id is None


def test_refusal_strangers_and_bad_input(payments_server, client, client_user, owner, confirmed):
    with pytest.raises(BookingStateError):
        charge_create(booking=confirmed, user=client_user, kind="damage", amount=100, reason="x")
    with pytest.raises(BookingStateError):
        charge_create(booking=confirmed, user=owner, kind="damage", amount=100, reason="a\x00b")
    with pytest.raises(BookingStateError):
        charge_create(booking=confirmed, user=owner, kind="bribe", amount=100, reason="x")
    charge = charge_create(booking=confirmed, user=owner, kind="no_show", amount=100, reason="x")
    stranger = make_adult("stranger@example.com")
    client.force_login(stranger)
    for name in ("charge_sign", "charge_refuse", "charge_pay"):
        assert client.post(reverse(f"studios:{name}", args=[charge.pk])).status_code == 404
    client.force_login(owner)  # the studio cannot sign for the client
    client.post(reverse("studios:charge_sign", args=[charge.pk]), {"signed_name": "Owner"})
    charge.refresh_from_db()
    assert charge.status == ExtraChargeStatus.AWAITING_SIGNATURE
    charge_refuse(charge=charge, user=client_user)
    assert Notification.objects.filter(user=owner, title__contains="refused").exists()
    with pytest.raises(BookingStateError):
        charge_refuse(charge=charge, user=client_user)
