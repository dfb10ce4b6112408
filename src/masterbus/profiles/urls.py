from django.urls import path

from masterbus.profiles import views
from masterbus.profiles.unsubscribe import unsubscribe

# Mounted at the site root: the account pages are under settings/ (the map is in config/urls.py).
app_name = "profiles"
urlpatterns = [
    path("settings/", views.settings_home, name="settings"),
    path("settings/profile/", views.account_settings, name="profile"),
    path("settings/profile/avatar", views.avatar, name="avatar"),
    path("settings/profile/avatar/upload", views.avatar_upload, name="avatar_upload"),
    path("settings/profile/avatar/remove", views.avatar_remove, name="avatar_remove"),
    path("settings/profile/switches", views.switches, name="switches"),
    path("settings/appearance/", views.theme, name="appearance"),  # guests too
    path("notice/dismiss", views.notice_dismiss, name="notice_dismiss"),  # on every page
    # Unchanged since it was first e-mailed: sent messages and their List-Unsubscribe headers
    # (RFC 8058 one-click POST, which a redirect would not carry) must keep working.
    path("profile/unsubscribe/<str:token>", unsubscribe, name="unsubscribe"),
]
