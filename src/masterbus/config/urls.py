from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("masterbus.mastering.urls")),
    path("accounts/", include("masterbus.accounts.urls")),
    path("uploads/", include("masterbus.uploads.urls")),
    path("privacy/", include("masterbus.privacy.urls")),
    path("profile/", include("masterbus.profiles.urls")),
    path("api/v1/", include("masterbus.api.urls")),
    path("settings/api-tokens/", include("masterbus.api.pages")),
    path("settings/security/", include("masterbus.security.urls")),
    path("", include("masterbus.rights.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "masterbus.core.views.not_found"
handler500 = "masterbus.core.views.server_error"
handler429 = "masterbus.security.views.too_many_requests"  # allauth's rate limits
