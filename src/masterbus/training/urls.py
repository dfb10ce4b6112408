from django.urls import path

from masterbus.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("drill/<str:kind>/", views.drill, name="drill"),
    path("start/", views.exercise_start, name="exercise_start"),
    path("workout/", views.workout_start, name="workout_start"),
    path("exercise/<uuid:exercise_id>/", views.exercise, name="exercise"),
    path("exercise/<uuid:exercise_id>/answer/", views.exercise_answer, name="exercise_answer"),
    path("exercise/<uuid:exercise_id>/clip/<str:name>.wav", views.clip, name="clip"),
    path("stats/", views.stats, name="stats"),
]
