from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "masterbus.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from masterbus.accounts import recovery_codes
        from masterbus.accounts.receivers import claim_guest_data_on_login

        user_logged_in.connect(claim_guest_data_on_login, dispatch_uid="accounts.claim_guest")
        recovery_codes.install()
        checks.register(recovery_codes.check_shown_once)
