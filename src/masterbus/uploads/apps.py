from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "masterbus.uploads"
    label = "uploads"
    verbose_name = "Uploads"
    default_auto_field = "django.db.models.BigAutoField"
