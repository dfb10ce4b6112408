from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "masterbus.shop"
    label = "shop"
    verbose_name = "Shop and licences"
    default_auto_field = "django.db.models.BigAutoField"
