from django.urls import path

from masterbus.privacy import views

app_name = "privacy"
urlpatterns = [
    path("promises/", views.promises, name="promises"),
]
