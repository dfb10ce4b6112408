from django.urls import path

from masterbus.uploads.preview_views import preview_file, preview_set_create, preview_set_detail
from masterbus.uploads.views import UploadCreateView, UploadDetailView

app_name = "uploads"

urlpatterns = [
    path("", UploadCreateView.as_view(), name="create"),
    path("<uuid:upload_id>", UploadDetailView.as_view(), name="detail"),
    path("<uuid:upload_id>/previews", preview_set_create, name="preview_set_create"),
    path("<uuid:upload_id>/previews/<uuid:set_id>", preview_set_detail, name="preview_set"),
    path(
        "<uuid:upload_id>/previews/<uuid:set_id>/<slug:name>",
        preview_file,
        name="preview_file",
    ),
]
