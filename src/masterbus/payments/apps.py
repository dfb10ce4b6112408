from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "masterbus.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from masterbus.payments import checks  # noqa: F401  (registers the system checks)
