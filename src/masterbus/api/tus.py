"""The uploads app's tus endpoint, mounted again for the API: bearer token, JSON errors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from masterbus.api.auth import bearer_owner
from masterbus.api.errors import UNAUTHORIZED, domain_error_json
from masterbus.core import access
from masterbus.core.tus import TUS_VERSION
from masterbus.uploads.errors import UploadError
from masterbus.uploads.views import UploadCreateView, UploadDetailView


class _ApiTus:
    """Only a token's owner may upload here (no guests); OPTIONS stays open for discovery."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "OPTIONS" and bearer_owner(request) is None:
            response = self.error_response(UploadError("unauthorized", UNAUTHORIZED))
            response["Tus-Resumable"] = TUS_VERSION
            return response
        return super().dispatch(request, *args, **kwargs)

    def error_response(self, exc: UploadError) -> HttpResponse:
        return domain_error_json(exc)


@access.token
class ApiUploadCreateView(_ApiTus, UploadCreateView):
    pass


@access.token
class ApiUploadDetailView(_ApiTus, UploadDetailView):
    pass


# No cookie authenticates here, so there is nothing for a cross-site request to ride on.
urlpatterns = [
    path("", csrf_exempt(ApiUploadCreateView.as_view()), name="create"),
    path("<uuid:upload_id>", csrf_exempt(ApiUploadDetailView.as_view()), name="detail"),
]
