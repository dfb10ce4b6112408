from django.contrib import admin
from django.urls import include, path

# The account settings are all under settings/, with one navigation (core/_settings_nav.html):
#   settings/                 -> settings/profile/        profiles:settings
#   settings/profile/         profile, picture, optional processing   profiles:profile
#   settings/appearance/      theme (guests too)          profiles:appearance
#   settings/mastering/       mastering preferences       mastering:preferences
#   settings/security/        sessions and security log   security:security
#   settings/tokens/          API tokens                  api-pages:tokens
#   settings/data/            export; .../delete          rights:data, rights:account_delete
# plus allauth's accounts/email/, accounts/password/change/, accounts/2fa/, accounts/3rdparty/.
# URL names: a page is a lowercase noun, a form's action <noun>_<verb> (avatar_upload).
urlpatterns = [
    path("", include("masterbus.mastering.urls")),
    path("accounts/", include("masterbus.accounts.urls")),
    path("uploads/", include("masterbus.uploads.urls")),
    path("privacy/", include("masterbus.privacy.urls")),
    path("", include("masterbus.profiles.urls")),
    path("api/v1/", include("masterbus.api.urls")),
    path("settings/tokens/", include("masterbus.api.pages")),
    path("settings/security/", include("masterbus.security.urls")),
    path("", include("masterbus.rights.urls")),
    path("", include("masterbus.messaging.urls")),  # notifications/, support/, settings/notif…
    path("", include("masterbus.orders.urls")),  # engineers/, studio/, orders/
    path("studios/", include("masterbus.studios.urls")),  # studios, rooms, bookings, feeds
    path("", include("masterbus.payments.urls")),  # payments/, settings/payments|earnings/
    path("training/", include("masterbus.training.urls")),  # ear training
    path("courses/", include("masterbus.courses.urls")),  # courses, lessons, certificates
    path("community/", include("masterbus.community.urls")),  # feed, posts, moderation
    path("shop/", include("masterbus.shop.urls")),  # products, licences, downloads
    path("assistant/", include("masterbus.assistant.urls")),  # assistant features
    path("admin/", admin.site.urls),
]

handler404 = "masterbus.core.views.not_found"
handler500 = "masterbus.core.views.server_error"
handler429 = "masterbus.security.views.too_many_requests"  # allauth's rate limits
