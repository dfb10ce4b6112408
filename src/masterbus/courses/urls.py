from django.urls import path

from masterbus.courses import manage_views, views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.mine, name="mine"),
    path("enrol/", views.enrol, name="enrol"),
    path("lessons/<uuid:lesson_id>/", views.lesson, name="lesson"),
    path("lessons/<uuid:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<uuid:lesson_id>/quiz/", views.quiz_answer_view, name="quiz_answer"),
    path("audio/<uuid:audio_id>/", views.audio, name="audio"),
    path("certificates/<str:certificate_code>/", views.certificate, name="certificate"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/<uuid:course_id>/", manage_views.manage_course, name="manage_course"),
    path("manage/<uuid:course_id>/modules/", manage_views.module_create, name="module_create"),
    path("manage/<uuid:course_id>/audio/", manage_views.audio_upload, name="audio_upload"),
    path(
        "manage/modules/<int:module_id>/lessons/", manage_views.lesson_create, name="lesson_create"
    ),
    path("manage/lessons/<uuid:lesson_id>/", manage_views.manage_lesson, name="manage_lesson"),
    path(
        "manage/lessons/<uuid:lesson_id>/questions/",
        manage_views.question_create,
        name="question_create",
    ),
    path(
        "manage/questions/<int:question_id>/delete/",
        manage_views.question_delete,
        name="question_delete",
    ),
    path("manage/audio/<uuid:audio_id>/", manage_views.manage_audio, name="manage_audio"),
    path("<slug:course_slug>/", views.course, name="course"),
]
