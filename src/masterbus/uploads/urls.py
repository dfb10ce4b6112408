from django.urls import path

from masterbus.uploads.views import UploadCreateView, UploadDetailView

app_name = "uploads"

urlpatterns = [
    path("", UploadCreateView.as_view(), name="create"),
    path("<uuid:upload_id>", UploadDetailView.as_view(), name="detail"),
]
