"""The owner's studio management page (thin): rooms, weekly hours, closed days and add-ons.
Every view finds the studio among the signed-in user's own (anyone else's: 404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios import selectors
from masterbus.studios.manage_forms import (
    AddOnForm,
    ClosedDaysForm,
    PhotoForm,
    RoomForm,
    SampleForm,
    TermsForm,
    WeekForm,
)
from masterbus.studios.models import OpeningHours, Studio
from masterbus.studios.services.studios import addon_create, exception_add, hours_set, room_create
from masterbus.studios.services.terms import terms_update


def _studio(request: HttpRequest, studio_id) -> Studio:
    return get_object_or_404(selectors.studios_owned(request.user), pk=studio_id)


def _page(request: HttpRequest, studio: Studio, status: int = 200, **forms) -> HttpResponse:
    rows = OpeningHours.objects.filter(studio=studio, room__isnull=True)
    forms.setdefault("room_form", RoomForm())
    forms.setdefault("addon_form", AddOnForm())
    forms.setdefault("closed_form", ClosedDaysForm())
    forms.setdefault("terms_form", TermsForm(initial={"terms": studio.terms}))
    forms.setdefault("photo_form", PhotoForm())
    forms.setdefault("sample_form", SampleForm())
    forms.setdefault(
        "week_form", WeekForm(initial_week={h.weekday: (h.opens, h.closes) for h in rows})
    )
    context = {
        "studio": studio,
        "rooms": studio.rooms.all(),
        "addons": studio.addons.all(),
        "exceptions": studio.exceptions.filter(room__isnull=True),
        "photos": studio.photos.defer("image"),
        "photos_max": settings.STUDIO_PHOTOS_MAX,
        "samples": studio.samples.all(),
        "samples_max": settings.STUDIO_SAMPLES_MAX,
        **forms,
    }
    return render(request, "studios/manage.html", context, status=status)


@access.signed_in
@require_GET
def manage(request: HttpRequest, studio_id) -> HttpResponse:
    return _page(request, _studio(request, studio_id))


def _create(request: HttpRequest, studio: Studio, form, create, form_name: str, done: str):
    if form.is_valid():
        try:
            create(studio=studio, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect("studios:manage", studio_id=studio.pk)
    return _page(request, studio, 400, **{form_name: form})


@access.signed_in
@require_POST
def room_add(request: HttpRequest, studio_id) -> HttpResponse:
    studio = _studio(request, studio_id)
    return _create(request, studio, RoomForm(request.POST), room_create, "room_form", "Room added.")


@access.signed_in
@require_POST
def addon_add(request: HttpRequest, studio_id) -> HttpResponse:
    studio = _studio(request, studio_id)
    form = AddOnForm(request.POST)
    return _create(request, studio, form, addon_create, "addon_form", "Add-on added.")


@access.signed_in
@require_POST
def closed_add(request: HttpRequest, studio_id) -> HttpResponse:
    studio = _studio(request, studio_id)
    form = ClosedDaysForm(request.POST)
    return _create(request, studio, form, exception_add, "closed_form", "Saved.")


@access.signed_in
@require_POST
def hours_save(request: HttpRequest, studio_id) -> HttpResponse:
    studio = _studio(request, studio_id)
    form = WeekForm(request.POST)
    if not form.is_valid():
        return _page(request, studio, 400, week_form=form)
    hours_set(studio=studio, week=form.week())
    messages.success(request, "Opening hours saved.")
    return redirect("studios:manage", studio_id=studio.pk)


@access.signed_in
@require_POST
def terms_save(request: HttpRequest, studio_id) -> HttpResponse:
    studio = _studio(request, studio_id)
    form = TermsForm(request.POST)
    if not form.is_valid():
        return _page(request, studio, 400, terms_form=form)
    terms_update(studio=studio, text=form.cleaned_data["terms"])
    messages.success(request, f"Terms saved (version {studio.terms_version}).")
    return redirect("studios:manage", studio_id=studio.pk)
