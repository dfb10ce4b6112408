from django.urls import path

from masterbus.security import views

app_name = "security"
urlpatterns = [
    path("", views.security, name="security"),
    path("sign-out-others", views.sign_out_others, name="other_sessions_sign_out"),
]
