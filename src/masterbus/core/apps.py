from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masterbus.core"
    label = "core"
