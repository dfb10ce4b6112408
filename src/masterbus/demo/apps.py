from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "masterbus.demo"
    label = "demo"
    verbose_name = "Demo data"
