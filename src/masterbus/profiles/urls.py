from django.urls import path

from masterbus.profiles import views
from masterbus.profiles.unsubscribe import unsubscribe

app_name = "profiles"
urlpatterns = [
    path("", views.account_settings, name="settings"),
    path("avatar", views.avatar, name="avatar"),
    path("avatar/upload", views.avatar_upload, name="avatar_upload"),
    path("avatar/remove", views.avatar_remove, name="avatar_remove"),
    path("switches", views.switches, name="switches"),
    path("theme/", views.theme, name="theme"),
    path("notice/dismiss", views.notice_dismiss, name="notice_dismiss"),
    path("unsubscribe/<str:token>", unsubscribe, name="unsubscribe"),
]
