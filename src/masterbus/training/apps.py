from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "masterbus.training"
    label = "training"
    verbose_name = "Ear training"
    default_auto_field = "django.db.models.BigAutoField"
