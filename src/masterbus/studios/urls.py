from django.urls import path

from masterbus.studios import (
    change_views,
    charge_views,
    engineer_views,
    feeds,
    manage_views,
    owner_views,
    photo_views,
    sample_views,
    session_views,
    views,
)

app_name = "studios"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:studio_id>/", views.studio, name="studio"),
    path("rooms/<uuid:room_id>/", views.room, name="room"),
    path("book", views.book, name="book"),
    path("sessions", engineer_views.engineer_sessions, name="engineer_sessions"),
    path("age", views.adult, name="adult_confirm"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<uuid:booking_id>/", views.booking, name="booking"),
    path("bookings/<uuid:booking_id>/pay", views.booking_pay, name="booking_pay"),
    path("bookings/<uuid:booking_id>/card", views.booking_save_card, name="booking_save_card"),
    path(
        "bookings/<uuid:booking_id>/move",
        change_views.reschedule_request_view,
        name="reschedule_request",
    ),
    path(
        "bookings/<uuid:booking_id>/move/pay",
        change_views.difference_pay,
        name="reschedule_difference_pay",
    ),
    path(
        "bookings/<uuid:booking_id>/charges",
        charge_views.charge_create_view,
        name="charge_create",
    ),
    path(
        "bookings/<uuid:booking_id>/documents/<int:document_id>.pdf",
        charge_views.booking_document,
        name="booking_document",
    ),
    path(
        "bookings/charges/<uuid:charge_id>/sign", charge_views.charge_sign_view, name="charge_sign"
    ),
    path(
        "bookings/charges/<uuid:charge_id>/refuse",
        charge_views.charge_refuse_view,
        name="charge_refuse",
    ),
    path("bookings/charges/<uuid:charge_id>/pay", charge_views.charge_pay, name="charge_pay"),
    path(
        "bookings/moves/<uuid:reschedule_id>/accept",
        change_views.reschedule_accept_view,
        name="reschedule_accept",
    ),
    path(
        "bookings/moves/<uuid:reschedule_id>/decline",
        change_views.reschedule_decline_view,
        name="reschedule_decline",
    ),
    path(
        "bookings/<uuid:booking_id>/agreement.pdf",
        views.booking_agreement,
        name="booking_agreement",
    ),
    path("bookings/<uuid:booking_id>/cancel", views.booking_cancel_view, name="booking_cancel"),
    path("bookings/<uuid:booking_id>/review", views.booking_review, name="booking_review"),
    path(
        "bookings/<uuid:booking_id>/files",
        session_views.session_files_upload,
        name="session_files_upload",
    ),
    path("bookings/files/<str:token>", session_views.session_file, name="session_file"),
    path(
        "bookings/<uuid:booking_id>/accept", owner_views.booking_accept_view, name="booking_accept"
    ),
    path(
        "bookings/<uuid:booking_id>/decline",
        owner_views.booking_decline_view,
        name="booking_decline",
    ),
    path("dashboard/", owner_views.dashboard, name="dashboard"),
    path("apply/", owner_views.apply, name="apply"),
    path("manage/<uuid:studio_id>/", manage_views.manage, name="manage"),
    path("manage/<uuid:studio_id>/rooms", manage_views.room_add, name="room_add"),
    path("manage/<uuid:studio_id>/hours", manage_views.hours_save, name="hours_save"),
    path("manage/<uuid:studio_id>/closed", manage_views.closed_add, name="closed_add"),
    path("manage/<uuid:studio_id>/addons", manage_views.addon_add, name="addon_add"),
    path("manage/<uuid:studio_id>/terms", manage_views.terms_save, name="terms_save"),
    path("manage/<uuid:studio_id>/photos", photo_views.photo_add_view, name="photo_add"),
    path("photos/<uuid:photo_id>/remove", photo_views.photo_remove_view, name="photo_remove"),
    path("photos/<str:photo_name>", photo_views.photo, name="photo"),
    path("manage/<uuid:studio_id>/samples", sample_views.sample_add_view, name="sample_add"),
    path("samples/<uuid:sample_id>/remove", sample_views.sample_remove_view, name="sample_remove"),
    path("samples/<str:sample_name>", sample_views.sample_audio, name="sample_audio"),
    path("approvals/", owner_views.approvals, name="approvals"),
    path(
        "approvals/<uuid:studio_id>/approve", owner_views.studio_approve_view, name="studio_approve"
    ),
    path("feeds/room/<str:token>.ics", feeds.room_feed, name="room_feed"),
    path("feeds/bookings/<str:token>.ics", feeds.user_feed, name="user_feed"),
]
