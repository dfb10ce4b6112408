from django.urls import path

from masterbus.assistant import review_views, views

app_name = "assistant"

urlpatterns: list = [
    path("", views.index, name="index"),
    path(
        "conversations/<uuid:conversation_id>/delete",
        views.conversation_remove,
        name="conversation_delete",
    ),
    path("songs/<uuid:song_id>/feedback", views.song_feedback, name="feedback"),
    path("songs/<uuid:song_id>/remaster", views.song_remaster, name="remaster"),
    path("songs/<uuid:song_id>/mix", views.song_mix, name="mix"),
    path("bookings/<uuid:booking_id>/prep", views.booking_prep, name="booking_prep"),
    path("orders/<uuid:order_id>/checklist", views.order_checklist, name="order_checklist"),
    path("review/", review_views.review_list, name="review_list"),
    path("review/<uuid:conversation_id>/", review_views.review_detail, name="review_detail"),
]

# Features 3-5 (fair prices, review summaries, support chat): masterbus.assistant.views_more.
from masterbus.assistant import views_more  # noqa: E402

urlpatterns += [
    path("prices/packages/<int:package_id>/", views_more.prices_package, name="prices_package"),
    path(
        "prices/packages/<int:package_id>/ask",
        views_more.prices_package_ask,
        name="prices_package_ask",
    ),
    path("prices/rooms/<uuid:room_id>/", views_more.prices_room, name="prices_room"),
    path("prices/rooms/<uuid:room_id>/ask", views_more.prices_room_ask, name="prices_room_ask"),
    path("reviews/studios/<uuid:studio_id>/", views_more.reviews_studio, name="reviews_studio"),
    path(
        "reviews/engineers/<int:profile_id>/",
        views_more.reviews_engineer,
        name="reviews_engineer",
    ),
    path("reviews/ask", views_more.reviews_ask, name="reviews_ask"),
    path("support/", views_more.support_chat, name="support"),
    path("support/ask", views_more.support_ask, name="support_ask"),
    path("support/handover", views_more.support_handover_view, name="support_handover"),
    path("help/", views_more.help_page, name="help"),
]
