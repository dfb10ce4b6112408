"""The project's URLs plus the tus endpoint mounted a second time (the JSON API does too)."""

from django.urls import include, path

from masterbus.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path(
        "second/uploads/",
        include(("masterbus.uploads.urls", "uploads"), namespace="second-uploads"),
    ),
]
