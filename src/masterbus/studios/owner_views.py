"""Pages of studio owners and staff (thin): the owner's dashboard with requests to accept or
decline, the "add your studio" application, and staff approval of applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios import feeds, selectors
from masterbus.studios.forms import StudioApplicationForm
from masterbus.studios.models import BookingStatus, Studio, StudioKind
from masterbus.studios.services.bookings import booking_accept, booking_decline
from masterbus.studios.services.studios import studio_apply, studio_approve


@access.signed_in
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    studios = list(selectors.studios_owned(request.user).prefetch_related("rooms"))
    rooms = [
        {"room": room, "feed_url": request.build_absolute_uri(feeds.room_feed_path(room))}
        for studio in studios
        for room in studio.rooms.all()
    ]
    upcoming = selectors.bookings_of_owner(request.user).filter(
        status=BookingStatus.CONFIRMED, ends_at__gte=timezone.now()
    )
    return render(
        request,
        "studios/dashboard.html",
        {
            "studios": studios,
            "rooms": rooms,
            "requests": selectors.requests_waiting(request.user)[:50],
            "upcoming": upcoming.order_by("starts_at")[:50],
        },
    )


def _owner_move(request: HttpRequest, booking_id, move, done: str) -> HttpResponse:
    found = get_object_or_404(selectors.bookings_of_owner(request.user), pk=booking_id)
    try:
        move(booking=found)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("studios:dashboard")


@access.signed_in
@require_POST
def booking_accept_view(request: HttpRequest, booking_id) -> HttpResponse:
    return _owner_move(request, booking_id, booking_accept, "Accepted: the client can now pay.")


@access.signed_in
@require_POST
def booking_decline_view(request: HttpRequest, booking_id) -> HttpResponse:
    return _owner_move(request, booking_id, booking_decline, "Declined.")


@access.signed_in
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = StudioApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            studio_apply(owner=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you: we will look at your studio and let you know.")
            return redirect("studios:dashboard")
    return render(request, "studios/apply.html", {"form": form})


@access.staff
@staff_member_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    waiting = Studio.objects.filter(
        approved_at__isnull=True, owner__isnull=False, kind=StudioKind.STUDIO
    )
    return render(request, "studios/approvals.html", {"studios": waiting.order_by("created_at")})


@access.staff
@staff_member_required
@require_POST
def studio_approve_view(request: HttpRequest, studio_id) -> HttpResponse:
    studio = get_object_or_404(Studio, pk=studio_id)
    if studio_approve(staff_user=request.user, studio=studio):
        messages.success(request, f"{studio.name} is approved and listed.")
    return redirect("studios:approvals")
