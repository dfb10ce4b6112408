from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "masterbus.messaging"
    label = "messaging"
    verbose_name = "Messages and notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masterbus.messaging import support

        support.register_subject()
