from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "masterbus.privacy"
    label = "privacy"
    verbose_name = "Privacy"
