"""Portfolio samples (thin): the owner adds and removes them on the management page; anyone
hears those of a listed studio (the owner also those of a studio still waiting for approval)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.core.files import stored_file_response
from masterbus.studios import selectors
from masterbus.studios.manage_forms import SampleForm
from masterbus.studios.models import StudioSample
from masterbus.studios.services.samples import sample_add, sample_remove


@access.signed_in
@require_POST
def sample_add_view(request: HttpRequest, studio_id) -> HttpResponse:
    studio = get_object_or_404(selectors.studios_owned(request.user), pk=studio_id)
    form = SampleForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Give the sample a title and choose an audio file.")
        return redirect("studios:manage", studio_id=studio.pk)
    try:
        sample_add(
            studio=studio, title=form.cleaned_data["title"], uploaded=form.cleaned_data["audio"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The sample is added.")
    return redirect("studios:manage", studio_id=studio.pk)


@access.signed_in
@require_POST
def sample_remove_view(request: HttpRequest, sample_id) -> HttpResponse:
    sample = get_object_or_404(StudioSample, pk=sample_id, studio__owner=request.user)
    sample_remove(sample=sample)
    messages.success(request, "The sample is removed.")
    return redirect("studios:manage", studio_id=sample.studio_id)


@access.public
@require_GET
def sample_audio(request: HttpRequest, sample_name: str) -> HttpResponse:
    """The sample's file (``<id>.<format>``), in byte ranges for the player: public for a listed
    studio, else only for its owner (anyone else, or a name that is no sample's: 404)."""
    found = selectors.studio_media_get(StudioSample.objects, user=request.user, name=sample_name)
    if sample_name != found.file_name:
        raise Http404
    return stored_file_response(
        request, found.stored_name, filename=f"sample.{found.format}", as_attachment=False
    )
