"""Additional charges after a session (no-show, overtime, damage): the studio fills in the
amount and the reason, the client signs the exact form text (an ``Agreement`` of kind "charge":
typed name, time, SHA-256, form version, the same machinery as the terms) or refuses it; a
signed charge is taken from the card saved for the booking (off-session), else the client pays
it at the hosted checkout (purpose "booking_extra"). Each move is one conditional UPDATE.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from masterbus.payments.errors import ChargeDeclined, ProviderUnavailable
from masterbus.payments.money import format_money
from masterbus.payments.services import Checkout, Line, charge_saved, checkout_start
from masterbus.studios.errors import BookingStateError, StudioLimit
from masterbus.studios.models import (
    Agreement,
    Booking,
    BookingStatus,
    DocumentKind,
    ExtraCharge,
    ExtraChargeKind,
    ExtraChargeStatus,
)
from masterbus.studios.pricing import FEE_RULE
from masterbus.studios.services.charge_later import saved_card
from masterbus.studios.services.notices import booking_notify
from masterbus.studios.services.payment import booking_label
from masterbus.studios.services.terms import MAX_NAME, text_hash

EXTRA_PURPOSE = "booking_extra"
FORM_VERSION = 1  # bump when the wording below changes
CHARGEABLE = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def _form_text(booking: Booking, kind: str, amount: int, reason: str) -> str:
    studio = booking.room.studio
    money = format_money(amount, booking.currency)
    return (
        f"Additional charge form, version {FORM_VERSION}\n\n"
        f"Booking {booking.pk}: {booking_label(booking)}.\n"
        f"Kind: {ExtraChargeKind(kind).label}.\nAmount: {money}.\n"
        f"Reason given by the studio: {reason}\n\n"
        f"By signing I agree that {studio.name} charges me {money} for the booking above, "
        "taken from the card saved for the booking or paid at the checkout."
    )


def charge_create(*, booking: Booking, user, kind: str, amount: int, reason: str) -> ExtraCharge:
    """The studio's form; the client is told to read and sign it."""
    if booking.room.studio.owner_id != user.pk:
        raise BookingStateError("Only the studio's owner asks for an additional charge.")
    if booking.status not in CHARGEABLE:
        raise BookingStateError("Additional charges are for confirmed or completed sessions.")
    reason = reason.strip()
    if kind not in ExtraChargeKind.values or not 0 < len(reason) <= 1000 or "\x00" in reason:
        raise BookingStateError("Choose the kind and give a reason of at most 1000 characters.")
    if not 0 < amount <= settings.PAYMENTS_MAX_AMOUNT:
        raise BookingStateError("Give a positive amount.")
    if booking.extra_charges.count() >= settings.BOOKING_EXTRA_CHARGES_MAX:
        raise StudioLimit("This booking has had the most additional charges allowed.")
    charge = ExtraCharge.objects.create(
        booking=booking,
        kind=kind,
        amount=amount,
        currency=booking.currency,
        reason=reason,
        text=_form_text(booking, kind, amount, reason),
    )
    booking_notify(booking, event="charge_asked", once_per=str(charge.pk))
    return charge


def charge_sign(*, charge: ExtraCharge, user, signed_name: str) -> Agreement:
    """The client signs the form as shown; then it is charged (saved card) or payable."""
    booking = charge.booking
    if booking.client_id != user.pk:
        raise BookingStateError("Only the booking's client signs its charges.")
    if not 0 < len(signed_name.strip()) <= MAX_NAME or "\x00" in signed_name:
        raise BookingStateError("Type your full name to sign the form.")
    with transaction.atomic():
        moved = ExtraCharge.objects.filter(
            pk=charge.pk, status=ExtraChargeStatus.AWAITING_SIGNATURE
        ).update(status=ExtraChargeStatus.AWAITING_PAYMENT)
        if not moved:
            raise BookingStateError("This charge has been answered already.")
        document = Agreement.objects.create(
            booking=booking,
            kind=DocumentKind.CHARGE,
            charge=charge,
            signer=user,
            signed_name=signed_name.strip(),
            terms_version=FORM_VERSION,
            text=charge.text,
            text_sha256=text_hash(charge.text),
        )
    charge.refresh_from_db()
    _charge_saved_card(charge)
    return document


def _charge_saved_card(charge: ExtraCharge) -> None:
    card = saved_card(charge.booking)
    if card is None:
        return
    try:
        charge_saved(
            setup=card,
            lines=_lines(charge),
            currency=charge.currency,
            payee=charge.booking.room.studio.owner,
            fee_rule=FEE_RULE,
            purpose=EXTRA_PURPOSE,
            purpose_id=str(charge.pk),
        )
    except (ChargeDeclined, ProviderUnavailable):
        return  # payable at the checkout from the booking's page


def charge_refuse(*, charge: ExtraCharge, user) -> ExtraCharge:
    if charge.booking.client_id != user.pk:
        raise BookingStateError("Only the booking's client answers its charges.")
    moved = ExtraCharge.objects.filter(
        pk=charge.pk, status=ExtraChargeStatus.AWAITING_SIGNATURE
    ).update(status=ExtraChargeStatus.REFUSED)
    if not moved:
        raise BookingStateError("This charge has been answered already.")
    charge.refresh_from_db()
    booking_notify(charge.booking, event="charge_refused", once_per=str(charge.pk))
    return charge


def _lines(charge: ExtraCharge) -> list[Line]:
    label = ExtraChargeKind(charge.kind).label
    return [Line(f"{label}: {booking_label(charge.booking)}", charge.amount)]


def charge_checkout_start(*, charge: ExtraCharge, success_url: str, cancel_url: str) -> Checkout:
    if charge.status != ExtraChargeStatus.AWAITING_PAYMENT:
        raise BookingStateError("This charge is not waiting for a payment.")
    return checkout_start(
        payer=charge.booking.client,
        purpose=EXTRA_PURPOSE,
        purpose_id=str(charge.pk),
        lines=_lines(charge),
        currency=charge.currency,
        payee=charge.booking.room.studio.owner,
        fee_rule=FEE_RULE,
        success_url=success_url,
        cancel_url=cancel_url,
    )


class ExtraChargePayments:
    """The payments handler of purpose "booking_extra"."""

    def title(self, payment) -> str:
        charge = ExtraCharge.objects.filter(pk=payment.purpose_id).first()
        return _lines(charge)[0].description if charge is not None else ""

    def on_paid(self, payment) -> None:
        ExtraCharge.objects.filter(
            pk=payment.purpose_id, status=ExtraChargeStatus.AWAITING_PAYMENT
        ).update(status=ExtraChargeStatus.PAID)

    def on_refunded(self, payment, refund) -> None:
        """Refunds of a charge are made by finance staff; nothing further here."""
