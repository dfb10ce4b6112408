"""Moving a booking (thin): the client asks for a new time on the booking's page, the studio's
owner accepts or declines there, and the client pays a higher deposit at the hosted checkout."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios import selectors
from masterbus.studios.forms import RescheduleForm
from masterbus.studios.models import Reschedule, RescheduleStatus
from masterbus.studios.services.reschedule import (
    difference_checkout_start,
    difference_due,
    reschedule_accept,
    reschedule_decline,
    reschedule_request,
)


def _back(booking_id) -> HttpResponse:
    return redirect("studios:booking", booking_id=booking_id)


@access.signed_in
@require_POST
def reschedule_request_view(request: HttpRequest, booking_id) -> HttpResponse:
    """The client's new time: a local day and start in the studio's zone, and whole hours."""
    found = get_object_or_404(selectors.bookings_of_client(request.user), pk=booking_id)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a day, a start time and the hours.")
        return _back(found.pk)
    day, at, hours = (form.cleaned_data[name] for name in ("day", "at", "hours"))
    start = dt.datetime.combine(day, at, tzinfo=found.room.studio.zone)
    try:
        reschedule_request(
            booking=found, user=request.user, start=start, end=start + dt.timedelta(hours=hours)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Asked: the studio is told and answers here.")
    return _back(found.pk)


def _owned_request(request: HttpRequest, reschedule_id) -> Reschedule:
    return get_object_or_404(
        Reschedule.objects.select_related("booking__room__studio"),
        pk=reschedule_id,
        booking__room__studio__owner=request.user,
        status=RescheduleStatus.REQUESTED,
    )


@access.signed_in
@require_POST
def reschedule_accept_view(request: HttpRequest, reschedule_id) -> HttpResponse:
    found = _owned_request(request, reschedule_id)
    try:
        reschedule_accept(reschedule=found)
    except DomainError as error:
        messages.error(request, error.message)
    return _back(found.booking_id)


@access.signed_in
@require_POST
def reschedule_decline_view(request: HttpRequest, reschedule_id) -> HttpResponse:
    found = _owned_request(request, reschedule_id)
    try:
        reschedule_decline(reschedule=found)
    except DomainError as error:
        messages.error(request, error.message)
    return _back(found.booking_id)


@access.signed_in
@require_POST
def difference_pay(request: HttpRequest, booking_id) -> HttpResponse:
    """To the hosted checkout for a moved booking's higher deposit."""
    found = get_object_or_404(selectors.bookings_of_client(request.user), pk=booking_id)
    due = difference_due(found)
    page = request.build_absolute_uri(reverse("studios:booking", args=[found.pk]))
    if due is None:
        return _back(found.pk)
    try:
        checkout = difference_checkout_start(reschedule=due, success_url=page, cancel_url=page)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(found.pk)
    return redirect(checkout.url)
