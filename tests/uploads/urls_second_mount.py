"""The project's URLs plus the tus endpoint mounted a second time, as the JSON API does."""

from django.urls import include, path

from masterbus.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path(
        "api/v1/uploads/",
        include(("masterbus.uploads.urls", "uploads"), namespace="api-uploads"),
    ),
]
