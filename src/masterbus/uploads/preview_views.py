"""The home page's style previews of a finished upload: ask for them, poll them, play them.

JSON for the page's script (the same shape as the API's), audio with range requests for its
player. Every object comes from the request owner's rows: anyone else's ids answer 404.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.files import stored_file_response
from masterbus.mastering.forms import MasterSettingsForm
from masterbus.uploads.errors import STATUS_FOR_CODE, UploadError
from masterbus.uploads.models import PreviewSet
from masterbus.uploads.presenters import preview_set_out
from masterbus.uploads.selectors import (
    preview_file_name,
    preview_set_get_for_owner,
    upload_get_for_owner,
)
from masterbus.uploads.services.previews import preview_set_request


def _out(preview_set: PreviewSet) -> dict:
    def file_url(name: str) -> str:
        return reverse("uploads:preview_file", args=[preview_set.upload_id, preview_set.pk, name])

    return preview_set_out(preview_set, file_url)


def _error(exc: UploadError) -> JsonResponse:
    status = STATUS_FOR_CODE.get(exc.code, HTTPStatus.BAD_REQUEST)
    return JsonResponse({"code": exc.code, "message": exc.message}, status=status)


@access.guest_or_user
@require_POST
def preview_set_create(request: HttpRequest, upload_id) -> HttpResponse:
    """Previews at the settings in the master form's fields (target and intensity count)."""
    try:
        upload = upload_get_for_owner(request.owner, upload_id)  # another's: 404, never 400
        form = MasterSettingsForm(request.POST)
        if not form.is_valid():
            message = " ".join(e for errors in form.errors.values() for e in errors)
            raise UploadError("bad_request", message)
        chosen = form.cleaned_data["settings"]
        preview_set = preview_set_request(
            owner=request.owner,
            upload=upload,
            intensity=chosen["intensity"],
            target_lufs=chosen["target_lufs"],
        )
    except UploadError as exc:
        return _error(exc)
    return JsonResponse(_out(preview_set), status=HTTPStatus.ACCEPTED)


@access.guest_or_user
@require_GET
def preview_set_detail(request: HttpRequest, upload_id, set_id) -> HttpResponse:
    """The set's status for the page to poll; its previews once done."""
    try:
        preview_set = preview_set_get_for_owner(request.owner, upload_id, set_id)
    except UploadError as exc:
        return _error(exc)
    response = JsonResponse(_out(preview_set))
    response["Cache-Control"] = "no-store"
    return response


@access.guest_or_user
@require_GET
def preview_file(request: HttpRequest, upload_id, set_id, name: str) -> HttpResponse:
    """One preview's audio (range requests work, so the player can seek)."""
    try:
        preview_set = preview_set_get_for_owner(request.owner, upload_id, set_id)
    except UploadError:
        raise Http404 from None
    stored = preview_file_name(preview_set, name)
    if stored is None:
        raise Http404
    return stored_file_response(
        request, stored, filename=f"preview-{name}.wav", as_attachment=False
    )
