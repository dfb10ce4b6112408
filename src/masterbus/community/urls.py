from django.urls import path

from masterbus.community import action_views, moderation_views, views

app_name = "community"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("following/", views.following, name="following"),
    path("search/", views.search, name="search"),
    path("posts/<int:post_id>/", views.post, name="post"),
    path("posts/<int:post_id>/audio", views.post_audio, name="post_audio"),
    path("posts/<int:post_id>/delete", action_views.post_delete_view, name="post_delete"),
    path("people/<int:user_id>/", views.member, name="member"),
    path("post", action_views.post_new, name="post_new"),
    path("comment", action_views.comment, name="comment"),
    path("like", action_views.like, name="like"),
    path("report", action_views.report, name="report"),
    path("follow", action_views.follow, name="follow"),
    path("block", action_views.block, name="block"),
    path("moderation/", moderation_views.queue, name="queue"),
    path("moderation/act", moderation_views.act, name="act"),
]
