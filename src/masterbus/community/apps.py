from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "masterbus.community"
    label = "community"
    verbose_name = "Community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masterbus.community.songs import register_kinds

        register_kinds()
