from django.urls import path, re_path

from masterbus.training import views
from masterbus.training.models import Kind

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    # the kinds listed in the pattern: an unknown one is a 404 before any view runs
    re_path(rf"^drill/(?P<kind>{'|'.join(Kind.values)})/$", views.drill, name="drill"),
    path("start/", views.exercise_start, name="exercise_start"),
    path("workout/", views.workout_start, name="workout_start"),
    path("exercise/<uuid:exercise_id>/", views.exercise, name="exercise"),
    path("exercise/<uuid:exercise_id>/answer/", views.exercise_answer, name="exercise_answer"),
    path("exercise/<uuid:exercise_id>/clip/<str:name>.wav", views.clip, name="clip"),
    path("stats/", views.stats, name="stats"),
]
