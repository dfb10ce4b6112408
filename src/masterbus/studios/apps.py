from django.apps import AppConfig


class StudiosConfig(AppConfig):
    name = "masterbus.studios"
    label = "studios"
    verbose_name = "Studios and bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masterbus.messaging import subjects
        from masterbus.payments import purposes
        from masterbus.studios import checks  # noqa: F401  (registers the system checks)
        from masterbus.studios.services.extra_charges import EXTRA_PURPOSE, ExtraChargePayments
        from masterbus.studios.services.notices import SUBJECT, booking_url
        from masterbus.studios.services.paid import BookingPayments
        from masterbus.studios.services.payment import PURPOSE
        from masterbus.studios.services.reschedule import CHANGE_PURPOSE, ChangePayments

        purposes.register(PURPOSE, BookingPayments())
        purposes.register(CHANGE_PURPOSE, ChangePayments())
        purposes.register(EXTRA_PURPOSE, ExtraChargePayments())
        subjects.register(SUBJECT, url_for=booking_url)
