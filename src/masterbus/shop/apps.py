from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "masterbus.shop"
    label = "shop"
    verbose_name = "Shop and licences"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masterbus.payments import purposes
        from masterbus.shop import checks  # noqa: F401  (registers the system checks)
        from masterbus.shop.services.purpose import ShopPurpose

        purposes.register("shop", ShopPurpose())
