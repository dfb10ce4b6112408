from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "masterbus.profiles"
    label = "profiles"
    verbose_name = "Profiles"
    default_auto_field = "django.db.models.BigAutoField"
