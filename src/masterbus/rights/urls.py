from django.urls import path

from masterbus.rights import views

app_name = "rights"
urlpatterns = [
    path("settings/data/", views.data, name="data"),
    path("settings/data/export", views.export_create, name="export"),
    path("settings/data/export/<str:token>", views.download, name="download"),
    path("settings/delete-account", views.delete_account, name="delete-account"),
    path("rights/request", views.rights_request, name="request"),
    path("rights/request/sent", views.rights_request_sent, name="request-sent"),
]
