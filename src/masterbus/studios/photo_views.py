"""Studio photos (thin): the owner adds and removes them on the management page; anyone sees
those of a listed studio (the owner also those of a studio still waiting for approval)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios import selectors
from masterbus.studios.manage_forms import PhotoForm
from masterbus.studios.models import StudioPhoto
from masterbus.studios.photos import CONTENT_TYPE
from masterbus.studios.services.photos import photo_add, photo_remove


@access.signed_in
@require_POST
def photo_add_view(request: HttpRequest, studio_id) -> HttpResponse:
    studio = get_object_or_404(selectors.studios_owned(request.user), pk=studio_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a picture (PNG, JPEG, WebP or GIF).")
        return redirect("studios:manage", studio_id=studio.pk)
    upload = form.cleaned_data["photo"]
    try:
        photo_add(
            studio=studio, stream=upload, length=upload.size, caption=form.cleaned_data["caption"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The photo is added.")
    return redirect("studios:manage", studio_id=studio.pk)


@access.signed_in
@require_POST
def photo_remove_view(request: HttpRequest, photo_id) -> HttpResponse:
    photo = get_object_or_404(StudioPhoto, pk=photo_id, studio__owner=request.user)
    photo_remove(photo=photo)
    messages.success(request, "The photo is removed.")
    return redirect("studios:manage", studio_id=photo.studio_id)


@access.public
@require_GET
def photo(request: HttpRequest, photo_name: str) -> HttpResponse:
    """The re-encoded WebP (``<id>.webp``): public for a listed studio, else only for its owner
    (anyone else, or a name that is no photo's: 404)."""
    if photo_name.partition(".")[2] not in ("", "webp"):
        raise Http404
    found = selectors.studio_media_get(StudioPhoto.objects, user=request.user, name=photo_name)
    response = HttpResponse(bytes(found.image), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "public, max-age=86400"  # a photo never changes: new id
    response["X-Content-Type-Options"] = "nosniff"
    return response
