from django.apps import AppConfig, apps


class SecurityConfig(AppConfig):
    name = "masterbus.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from allauth.account import signals as account
        from django.contrib.auth import signals as auth

        from masterbus.security import checks  # noqa: F401  (registers the system checks)
        from masterbus.security import receivers as r

        auth.user_logged_in.connect(r.on_logged_in, dispatch_uid="security.logged_in")
        auth.user_logged_out.connect(r.on_logged_out, dispatch_uid="security.logged_out")
        auth.user_login_failed.connect(r.on_login_failed, dispatch_uid="security.login_failed")
        account.password_changed.connect(r.on_password_changed, dispatch_uid="security.pw")
        account.password_set.connect(r.on_password_changed, dispatch_uid="security.pw_set")
        account.password_reset.connect(r.on_password_reset, dispatch_uid="security.reset")
        account.email_changed.connect(r.on_email_changed, dispatch_uid="security.email")
        if apps.is_installed("allauth.mfa"):
            from allauth.mfa import signals as mfa

            mfa.authenticator_added.connect(r.on_authenticator_added, dispatch_uid="security.mfa+")
            mfa.authenticator_removed.connect(
                r.on_authenticator_removed, dispatch_uid="security.mfa-"
            )
