from django.urls import path

from masterbus.mastering import views

app_name = "mastering"
urlpatterns = [
    path("", views.home, name="home"),
    path("master", views.master, name="master"),
    path("songs/", views.library, name="library"),
    path("songs/<uuid:song_id>/", views.song_detail, name="song"),
    path("songs/<uuid:song_id>/remaster", views.remaster, name="remaster"),
    path("songs/<uuid:song_id>/delete", views.song_delete, name="delete"),
    path("jobs/<uuid:job_id>/status", views.job_status, name="status"),
    path("files/<str:token>", views.stored_file, name="file"),
    path("settings/", views.preferences, name="preferences"),
]
