from django.urls import path

from masterbus.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("promises/", views.promises, name="promises"),
    path("consent/", views.consent, name="consent"),
]
