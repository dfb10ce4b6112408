"""The tus 1.0.0 endpoint (core, creation, termination, expiration): thin HTTP over the services.

CSRF stays on: our page sends the token in the X-CSRFToken header with every tus request.
"""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views import View

from masterbus.accounts.guests import ensure_guest
from masterbus.core import access
from masterbus.core.tus import TUS_VERSION
from masterbus.mastering import quotas
from masterbus.mastering.errors import QuotaError
from masterbus.uploads.errors import STATUS_FOR_CODE, UploadError
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_get_for_owner, upload_is_expired
from masterbus.uploads.services import upload_append, upload_create, upload_delete
from masterbus.uploads.tus import (
    OFFSET_CONTENT_TYPE,
    TUS_EXTENSIONS,
    format_metadata,
    parse_metadata,
    parse_size,
)


class TusView(View):
    """Checks the protocol version and turns UploadError into a plain-text answer."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != TUS_VERSION:
                raise UploadError(
                    "unsupported_version", f"This server speaks tus {TUS_VERSION} only."
                )
            response = super().dispatch(request, *args, **kwargs)
        except UploadError as exc:
            response = self.error_response(exc)
        response["Tus-Resumable"] = TUS_VERSION
        response["Tus-Version"] = TUS_VERSION
        return response

    def error_response(self, exc: UploadError) -> HttpResponse:
        """Plain text, which tus clients show as is; a JSON API can override this."""
        return HttpResponse(
            exc.message,
            status=STATUS_FOR_CODE.get(exc.code, HTTPStatus.BAD_REQUEST),
            content_type="text/plain; charset=utf-8",
        )

    def options(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = HttpResponse(status=HTTPStatus.NO_CONTENT)
        response["Tus-Extension"] = TUS_EXTENSIONS
        response["Tus-Max-Size"] = str(settings.MAX_UPLOAD_BYTES)
        return response


@access.guest_or_user
class UploadCreateView(TusView):
    http_method_names = ("post", "options")

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get("Upload-Defer-Length") is not None:
            raise UploadError("bad_request", "The size of the file must be known in advance.")
        length = parse_size(request.headers.get("Upload-Length"), "Upload-Length")
        metadata = parse_metadata(request.headers.get("Upload-Metadata"))
        owner = ensure_guest(request)
        try:  # a file over the size limit is told so by upload_create (413)
            quotas.guest_storage_check(owner=owner, adding=min(length, settings.MAX_UPLOAD_BYTES))
        except QuotaError as exc:
            raise UploadError(exc.code, str(exc)) from None
        upload = upload_create(owner=owner, length=length, metadata=metadata)
        response = HttpResponse(status=HTTPStatus.CREATED)
        namespace = request.resolver_match.namespace
        response["Location"] = reverse(f"{namespace}:detail", kwargs={"upload_id": upload.pk})
        response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
        return response


@access.guest_or_user
class UploadDetailView(TusView):
    http_method_names = ("head", "patch", "delete", "options")

    def head(self, request: HttpRequest, upload_id) -> HttpResponse:
        upload = upload_get_for_owner(request.owner, upload_id)
        if upload.status == UploadStatus.FAILED:
            raise UploadError("upload_failed", upload.error_message)
        if upload_is_expired(upload):
            raise UploadError("expired", "This upload expired; please upload the file again.")
        response = HttpResponse(status=HTTPStatus.OK)
        response["Cache-Control"] = "no-store"
        response["Upload-Offset"] = str(upload.offset)
        response["Upload-Length"] = str(upload.length)
        response["Upload-Metadata"] = format_metadata(_metadata(upload))
        if upload.status == UploadStatus.UPLOADING:
            response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
        return response

    def patch(self, request: HttpRequest, upload_id) -> HttpResponse:
        if request.content_type != OFFSET_CONTENT_TYPE:
            raise UploadError(
                "wrong_content_type", f"Upload chunks must be sent as {OFFSET_CONTENT_TYPE}."
            )
        offset = parse_size(request.headers.get("Upload-Offset"), "Upload-Offset")
        content_length = request.headers.get("Content-Length")
        upload = upload_get_for_owner(request.owner, upload_id)
        upload = upload_append(
            upload=upload,
            offset=offset,
            stream=request,
            content_length=None
            if content_length is None
            else parse_size(content_length, "Content-Length"),
        )
        if upload.status == UploadStatus.FAILED:
            response = self.error_response(UploadError("not_audio", upload.error_message))
        else:
            response = HttpResponse(status=HTTPStatus.NO_CONTENT)
        response["Upload-Offset"] = str(upload.offset)
        if upload.status == UploadStatus.UPLOADING:
            response["Upload-Expires"] = http_date(upload.expires_at.timestamp())
        return response

    def delete(self, request: HttpRequest, upload_id) -> HttpResponse:
        upload_delete(upload=upload_get_for_owner(request.owner, upload_id))
        return HttpResponse(status=HTTPStatus.NO_CONTENT)


def _metadata(upload: Upload) -> dict[str, str]:
    metadata = {"filename": upload.filename}
    if upload.filetype:
        metadata["filetype"] = upload.filetype
    return metadata
