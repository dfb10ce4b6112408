from django.urls import include, path

from masterbus.api import tus
from masterbus.api.endpoints import api

urlpatterns = [
    path("uploads/", include((tus.urlpatterns, "uploads"), namespace="api-uploads")),
    path("", api.urls),
]
