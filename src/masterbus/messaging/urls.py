from django.urls import path

from masterbus.messaging import support_views, views

app_name = "messaging"
urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<uuid:thread_id>/", views.thread_open, name="thread_open"),
    path("messages/<uuid:thread_id>/post", views.post, name="post"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
    path(
        "notifications/<uuid:notification_id>/open",
        views.notification_open,
        name="notification_open",
    ),
    path("settings/notifications/", views.preferences, name="preferences"),
    path("support/", support_views.support_home, name="support"),
    path("support/<uuid:ticket_id>/", support_views.ticket, name="ticket"),
    path("staff/support/", support_views.support_queue, name="support_queue"),
    path("staff/support/<uuid:ticket_id>/", support_views.staff_ticket, name="staff_ticket"),
    path(
        "staff/support/<uuid:ticket_id>/close",
        support_views.staff_ticket_close,
        name="staff_ticket_close",
    ),
]
