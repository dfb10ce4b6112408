from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from masterbus.api import tus
from masterbus.api.endpoints import api
from masterbus.api.errors import NOTHING_HERE, error_json
from masterbus.core import access


@access.public
@csrf_exempt
def unknown(request: HttpRequest) -> JsonResponse:
    """A JSON 404 for any other path under /api/v1/, as for every API error."""
    return error_json(404, "not_found", NOTHING_HERE)


urlpatterns = [
    path("uploads/", include((tus.urlpatterns, "uploads"), namespace="api-uploads")),
    path("", api.urls),
    re_path(r"", unknown),
]
