from django.apps import AppConfig
from django.urls import reverse


class OrdersConfig(AppConfig):
    name = "masterbus.orders"
    label = "orders"
    verbose_name = "Engineer orders"

    def ready(self) -> None:
        """Payments call back into orders when an order is paid or refunded; a message in an
        order's thread links to the order page."""
        from masterbus.messaging import subjects
        from masterbus.orders.services.ordering import ROUND_PURPOSE
        from masterbus.orders.services.purpose import OrderPurpose, RevisionRoundPurpose
        from masterbus.payments import purposes

        purposes.register("order", OrderPurpose())
        purposes.register(ROUND_PURPOSE, RevisionRoundPurpose())
        subjects.register(
            "order", url_for=lambda order_id: reverse("orders:order", args=[order_id])
        )
