from django.urls import path

from masterbus.rights import views

app_name = "rights"
urlpatterns = [
    path("settings/data/", views.data, name="data"),  # in the export-ready e-mail
    path("settings/data/export", views.export_create, name="export_create"),
    path("settings/data/export/<str:token>", views.download, name="export_download"),
    path("settings/data/delete", views.delete_account, name="account_delete"),
    path("rights/request", views.rights_request, name="request"),  # public
    path("rights/request/sent", views.rights_request_sent, name="request_sent"),
]
