from django.apps import AppConfig


class MasteringConfig(AppConfig):
    name = "masterbus.mastering"
    label = "mastering"
    verbose_name = "Mastering"
    default_auto_field = "django.db.models.BigAutoField"
