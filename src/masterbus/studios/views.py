"""Studio pages for everyone and for clients (thin): search, a studio, a room's slot picker,
booking with the price and the policy shown first, my bookings, one booking.

Times are shown in the visitor's zone: the browser reports it (``tz``, filled in by
``studios/zone.js``), else the studio's zone is used and said so.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.payments.csp import allows_checkout
from masterbus.studios import feeds, policies, selectors
from masterbus.studios.agreements import agreement_pdf
from masterbus.studios.charge_views import charges_context
from masterbus.studios.forms import (
    AdultForm,
    BookingForm,
    RescheduleForm,
    ReviewForm,
    SearchForm,
    zone_or,
)
from masterbus.studios.models import BookingStatus, Room
from masterbus.studios.pricing import quote
from masterbus.studios.services.age import adult_confirm, is_adult
from masterbus.studios.services.bookings import booking_cancel, booking_create
from masterbus.studios.services.charge_later import (
    booking_card_save_start,
    charges_later,
    saved_card,
)
from masterbus.studios.services.notices import booking_thread
from masterbus.studios.services.payment import booking_checkout_start
from masterbus.studios.services.reschedule import move_context
from masterbus.studios.services.reviews import review_create, review_open
from masterbus.studios.services.session_files import session_files_open
from masterbus.studios.session_views import session_files_for

PICKER_DAYS = 7
AGE_REFUSED = "masterbus_booking_age_refused"


@access.public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    rooms = []
    if form.is_valid():
        data = form.cleaned_data
        rooms = selectors.rooms_search(
            selectors.Search(
                city=data["city"],
                genre=data["genre"],
                equipment=data["equipment"],
                max_rate=data["max_rate"] * 100 if data["max_rate"] is not None else None,
                free_on=data["day"],
                free_at=data["at"],
                hours=data["hours"] or 1,
                kind=data["kind"],
            )
        )
    elif not request.GET:
        rooms = selectors.rooms_search(selectors.Search())
    return render(request, "studios/search.html", {"form": form, "rooms": rooms})


@access.public
@require_GET
def studio(request: HttpRequest, studio_id) -> HttpResponse:
    found = get_object_or_404(selectors.studios_listed(), pk=studio_id)
    reviews, average = selectors.studio_reviews(found)
    return render(
        request,
        "studios/studio.html",
        {
            "studio": found,
            "rooms": found.rooms.filter(active=True),
            "addons": found.addons.filter(active=True),
            "policy": policies.describe(policies.tiers_for(found.cancellation_policy)),
            "reviews": reviews,
            "average": average,
            "photos": found.photos.defer("image"),
            "samples": found.samples.all(),
        },
    )


@access.public
@require_GET
def room(request: HttpRequest, room_id) -> HttpResponse:
    """The slot picker: a week of free hours, shown in the visitor's zone."""
    found = get_object_or_404(selectors.rooms_bookable(), pk=room_id)
    studio_zone = found.studio.zone
    zone = zone_or(request.GET.get("tz"), found.studio.time_zone)
    today = timezone.now().astimezone(studio_zone).date()
    try:
        first = max(dt.date.fromisoformat(request.GET.get("from", "")), today)
    except ValueError:
        first = today
    last = min(first + dt.timedelta(days=PICKER_DAYS - 1), today + dt.timedelta(days=365))
    days: dict[dt.date, list[dict]] = {}
    for slot in selectors.room_free_slots(found, first, last):
        if slot <= timezone.now():
            continue
        local = slot.astimezone(zone)
        days.setdefault(local.date(), []).append({"value": slot.isoformat(), "at": slot})
    return render(
        request,
        "studios/room.html",
        {
            "room": found,
            "studio": found.studio,
            "zone": zone.key,
            "days": sorted(days.items()),
            "earlier": first - dt.timedelta(days=PICKER_DAYS) if first > today else None,
            "later": last + dt.timedelta(days=1),
            "hours_options": range(found.minimum_hours, 13),
        },
    )


@access.signed_in
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """The price breakdown and the cancellation policy before anything is paid; posting books.
    The room comes with the chosen time (``room``, ``start``, ``hours``) from its slot picker."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        found = selectors.rooms_bookable().get(pk=data.get("room", ""))
    except (Room.DoesNotExist, ValidationError):
        return render(request, "studios/book.html", {"room": None}, status=400)
    form = BookingForm(data, studio=found.studio)
    zone = zone_or(data.get("tz"), found.studio.time_zone)
    context = {"room": found, "studio": found.studio, "form": form, "zone": zone.key}
    context["policy"] = policies.describe(policies.tiers_for(found.studio.cancellation_policy))
    context["adult"] = is_adult(request.user)
    context["adult_form"] = AdultForm()
    context["request_hours"] = settings.BOOKING_REQUEST_HOURS
    if not form.is_valid():
        return render(request, "studios/book.html", context, status=400)
    start, end = form.span()
    context.update(
        start=start,
        end=end,
        quote=quote(room=found, start=start, end=end, addons=form.cleaned_data["addons"]),
    )
    if request.method == "POST":
        try:
            booking = booking_create(
                client=request.user,
                room=found,
                start=start,
                end=end,
                addons=list(form.cleaned_data["addons"]),
                note=form.cleaned_data["note"],
                signed_name=form.cleaned_data["signed_name"],
                terms_version=form.cleaned_data["terms_version"],
            )
        except DomainError as error:
            context["error"] = error.message
            return render(request, "studios/book.html", context, status=409)
        booking_thread(booking)
        return redirect("studios:booking", booking_id=booking.pk)
    return render(request, "studios/book.html", context)


@access.signed_in
@require_POST
def adult(request: HttpRequest) -> HttpResponse:
    """The 18+ question; a refusal sticks for this browser session (like sign-up's)."""
    back = request.POST.get("next", "")
    back = back if back.startswith("/studios/") else reverse("studios:search")
    form = AdultForm(request.POST)
    if request.session.get(AGE_REFUSED) or not form.is_valid():
        messages.error(request, "Booking studios is only for adults.")
        return redirect(back)
    try:
        adult_confirm(user=request.user, born=form.cleaned_data["born"])
    except DomainError as error:
        request.session[AGE_REFUSED] = True
        messages.error(request, error.message)
    return redirect(back)


@access.signed_in
@require_GET
def bookings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "studios/bookings.html",
        {
            "bookings": selectors.bookings_of_client(request.user).order_by("-starts_at")[:100],
            "feed_url": request.build_absolute_uri(feeds.user_feed_path(request.user)),
        },
    )


@access.signed_in
@allows_checkout  # the client's pay form redirects to the hosted checkout
@require_GET
def booking(request: HttpRequest, booking_id) -> HttpResponse:
    """One booking, for its client or the studio's owner (anyone else: 404)."""
    found = selectors.booking_for_party(request.user, booking_id)
    if found is None:
        raise Http404
    studio = found.room.studio
    zone = zone_or(request.GET.get("tz"), studio.time_zone)
    is_client = found.client_id == request.user.pk
    card = saved_card(found) if found.status == BookingStatus.REQUESTED else None
    move = move_context(found, is_client=is_client)
    return render(
        request,
        "studios/booking.html",
        {
            "booking": found,
            "studio": studio,
            "is_client": is_client,
            "is_owner": studio.owner_id == request.user.pk,
            "zone": zone.key,
            "policy": policies.describe(found.policy_tiers),
            "can_pay": is_client and found.status == BookingStatus.AWAITING_PAYMENT,
            "saved_card": card,
            "move": move,
            "move_form": RescheduleForm() if move["can_ask"] else None,
            **charges_context(found, is_owner=studio.owner_id == request.user.pk),
            "can_save_card": is_client
            and card is None
            and found.status == BookingStatus.REQUESTED
            and charges_later(found),
            "can_cancel": found.status
            in (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED)
            and found.starts_at > timezone.now(),
            "thread": booking_thread(found),
            "review_form": ReviewForm() if review_open(found, request.user) else None,
            "agreement": getattr(found, "agreement", None),
            "reviews": found.reviews.all(),
            "session_files": session_files_for(found, request.user),
            "can_share_files": session_files_open(found),
        },
    )


@access.signed_in
@require_GET
def booking_agreement(request: HttpRequest, booking_id) -> HttpResponse:
    """The signed agreement as a PDF sealed by the platform, for its client or the studio's
    owner only (anyone else: 404). Made on request: it takes a few tens of milliseconds."""
    found = selectors.booking_for_party(request.user, booking_id)
    agreement = getattr(found, "agreement", None) if found is not None else None
    if agreement is None:
        raise Http404
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agreement-{found.pk}.pdf"'
    return response


@access.signed_in
@require_POST
def booking_pay(request: HttpRequest, booking_id) -> HttpResponse:
    found = get_object_or_404(selectors.bookings_of_client(request.user), pk=booking_id)
    page = request.build_absolute_uri(reverse("studios:booking", args=[found.pk]))
    try:
        checkout = booking_checkout_start(booking=found, success_url=page, cancel_url=page)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("studios:booking", booking_id=found.pk)
    return redirect(checkout.url)


@access.signed_in
@require_POST
def booking_save_card(request: HttpRequest, booking_id) -> HttpResponse:
    """A request far ahead: to the provider's page to save the card charged on acceptance."""
    found = get_object_or_404(selectors.bookings_of_client(request.user), pk=booking_id)
    page = request.build_absolute_uri(reverse("studios:booking", args=[found.pk]))
    try:
        checkout = booking_card_save_start(booking=found, success_url=page, cancel_url=page)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("studios:booking", booking_id=found.pk)
    return redirect(checkout.url)


@access.signed_in
@require_POST
def booking_cancel_view(request: HttpRequest, booking_id) -> HttpResponse:
    """Cancel as the client (refund by the booking's tiers) or as the studio (in full)."""
    found = selectors.booking_for_party(request.user, booking_id)
    if found is None:
        raise Http404
    by_studio = found.room.studio.owner_id == request.user.pk and found.client_id != request.user.pk
    try:
        booking_cancel(booking=found, by_studio=by_studio)
    except (DomainError, ValidationError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(request, "The booking is cancelled.")
    return redirect("studios:booking", booking_id=found.pk)


@access.signed_in
@require_POST
def booking_review(request: HttpRequest, booking_id) -> HttpResponse:
    """A review from either side of a completed, paid booking (once each)."""
    found = selectors.booking_for_party(request.user, booking_id)
    if found is None:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose a rating from 1 to 5; a review has at most 2,000 characters."
        )
    else:
        try:
            review_create(booking=found, author=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, "Thank you for your review.")
    return redirect("studios:booking", booking_id=found.pk)
