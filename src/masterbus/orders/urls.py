from django.urls import path

from masterbus.orders.views import client, engineer, order, public

app_name = "orders"

urlpatterns = [
    path("engineers/", public.engineers, name="engineers"),
    path("engineers/<int:profile_id>/", public.engineer, name="engineer"),
    path(
        "engineers/samples/<int:published_id>/<str:side>", public.sample_audio, name="sample_audio"
    ),
    path("engineers/apply/", engineer.apply, name="apply"),
    path("studio/", engineer.studio, name="studio"),
    path("studio/packages/", engineer.package_add, name="package_add"),
    path("studio/packages/<int:package_id>/remove", engineer.package_remove, name="package_remove"),
    path("studio/samples/", engineer.sample_add, name="sample_add"),
    path("studio/samples/<int:sample_id>/remove", engineer.sample_remove, name="sample_remove"),
    path("studio/applications/", engineer.applications, name="applications"),
    path(
        "studio/applications/<int:profile_id>/approve",
        engineer.application_approve,
        name="application_approve",
    ),
    path("orders/", client.orders, name="orders"),
    path("orders/new/", client.order_new, name="order_new"),
    path("orders/file/<str:token>", order.stored_file, name="file"),
    path("orders/notes/<int:note_id>/delete", client.note_delete, name="note_delete"),
    path("orders/<uuid:order_id>/", order.order, name="order"),
    path("orders/<uuid:order_id>/pay", client.order_pay, name="order_pay"),
    path("orders/<uuid:order_id>/cancel", client.order_cancel, name="order_cancel"),
    path("orders/<uuid:order_id>/revision", client.revision_request, name="revision_request"),
    path("orders/<uuid:order_id>/round", client.round_buy, name="round_buy"),
    path("orders/<uuid:order_id>/approve", client.order_approve, name="order_approve"),
    path("orders/<uuid:order_id>/dispute", client.order_dispute, name="order_dispute"),
    path("orders/<uuid:order_id>/notes", client.note_add, name="note_add"),
    path("orders/<uuid:order_id>/accept", engineer.order_accept, name="order_accept"),
    path("orders/<uuid:order_id>/decline", engineer.order_decline, name="order_decline"),
    path("orders/<uuid:order_id>/start", engineer.order_start, name="order_start"),
    path("orders/<uuid:order_id>/deliver", engineer.delivery_add, name="delivery_add"),
]
