"""Additional charges (thin): the studio's form on the booking page, the client's signature or
refusal, the payment at the hosted checkout, and each signed document as a sealed PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios import selectors
from masterbus.studios.agreements import agreement_pdf
from masterbus.studios.forms import ExtraChargeForm, SignForm
from masterbus.studios.models import Booking, ExtraCharge
from masterbus.studios.services.extra_charges import (
    CHARGEABLE,
    charge_checkout_start,
    charge_create,
    charge_refuse,
    charge_sign,
)
from masterbus.studios.services.terms import text_hash


def charges_context(booking: Booking, *, is_owner: bool) -> dict:
    """The booking page's part: its charges (each with its text's hash), the forms."""
    charges = list(booking.extra_charges.select_related("document"))
    for charge in charges:
        charge.text_sha256 = text_hash(charge.text)
    chargeable = is_owner and booking.status in CHARGEABLE
    return {
        "extra_charges": charges,
        "charge_form": ExtraChargeForm() if chargeable else None,
        "sign_form": SignForm(),
    }


def _back(booking_id) -> HttpResponse:
    return redirect("studios:booking", booking_id=booking_id)


def _party_charge(request: HttpRequest, charge_id) -> ExtraCharge:
    """The charge, for the booking's client or the studio's owner (anyone else: 404)."""
    charge = get_object_or_404(ExtraCharge.objects.select_related("booking"), pk=charge_id)
    if selectors.booking_for_party(request.user, charge.booking_id) is None:
        raise Http404
    return charge


@access.signed_in
@require_POST
def charge_create_view(request: HttpRequest, booking_id) -> HttpResponse:
    found = get_object_or_404(selectors.bookings_of_owner(request.user), pk=booking_id)
    form = ExtraChargeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the kind, the amount and give a reason.")
        return _back(found.pk)
    try:
        charge_create(
            booking=found,
            user=request.user,
            kind=form.cleaned_data["kind"],
            amount=form.minor_units(),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent: the client reads and signs the form.")
    return _back(found.pk)


@access.signed_in
@require_POST
def charge_sign_view(request: HttpRequest, charge_id) -> HttpResponse:
    charge = _party_charge(request, charge_id)
    form = SignForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Type your full name to sign the form.")
        charge_sign(charge=charge, user=request.user, signed_name=form.cleaned_data["signed_name"])
    except DomainError as error:
        messages.error(request, error.message)
    return _back(charge.booking_id)


@access.signed_in
@require_POST
def charge_refuse_view(request: HttpRequest, charge_id) -> HttpResponse:
    charge = _party_charge(request, charge_id)
    try:
        charge_refuse(charge=charge, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return _back(charge.booking_id)


@access.signed_in
@require_POST
def charge_pay(request: HttpRequest, charge_id) -> HttpResponse:
    charge = _party_charge(request, charge_id)
    if charge.booking.client_id != request.user.pk:
        raise Http404
    page = request.build_absolute_uri(reverse("studios:booking", args=[charge.booking_id]))
    try:
        checkout = charge_checkout_start(charge=charge, success_url=page, cancel_url=page)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(charge.booking_id)
    return redirect(checkout.url)


@access.signed_in
@require_GET
def booking_document(request: HttpRequest, booking_id, document_id: int) -> HttpResponse:
    """One signed document of the booking as a sealed PDF, for its two parties only."""
    found = selectors.booking_for_party(request.user, booking_id)
    document = found.documents.filter(pk=document_id).first() if found is not None else None
    if document is None:
        raise Http404
    response = HttpResponse(agreement_pdf(document), content_type="application/pdf")
    name = f"{document.kind}-{found.pk}-{document.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
