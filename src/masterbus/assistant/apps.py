from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "masterbus.assistant"
    label = "assistant"
    verbose_name = "Assistant"
    default_auto_field = "django.db.models.BigAutoField"
