from django.urls import path

from masterbus.mastering import album_views, views

app_name = "mastering"
urlpatterns = [
    path("", views.home, name="home"),
    path("master", views.master, name="master"),
    path("songs/", views.library, name="library"),
    path("songs/<uuid:song_id>/", views.song_detail, name="song"),
    path("songs/<uuid:song_id>/remaster", views.remaster, name="remaster"),
    path("songs/<uuid:song_id>/delete", views.song_delete, name="delete"),
    path("jobs/<uuid:job_id>/status", views.job_status, name="status"),
    path("jobs/<uuid:job_id>/delete", views.job_delete, name="job_delete"),
    path("albums/new", album_views.album_new, name="album_new"),
    path("albums/master", album_views.album_master, name="album_master"),
    path("albums/<uuid:album_id>/", album_views.album_detail, name="album"),
    path("albums/<uuid:album_id>/remaster", album_views.album_remaster, name="album_remaster"),
    path("albums/<uuid:album_id>/delete", album_views.album_delete, name="album_delete"),
    path("album-jobs/<uuid:album_job_id>/status", album_views.album_status, name="album_status"),
    path("album-jobs/<uuid:album_job_id>/<str:fmt>.zip", album_views.album_zip, name="album_zip"),
    path("files/<str:token>", views.stored_file, name="file"),
    path("settings/mastering/", views.preferences, name="preferences"),
]
