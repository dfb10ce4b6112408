from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "masterbus.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account import signals as account

        from masterbus.api import receivers as r
        from masterbus.security import signals as security

        account.password_changed.connect(r.on_password_changed, dispatch_uid="api.pw")
        account.password_set.connect(r.on_password_set, dispatch_uid="api.pw_set")
        account.password_reset.connect(r.on_password_reset, dispatch_uid="api.reset")
        security.other_sessions_ended.connect(r.on_other_sessions_ended, dispatch_uid="api.ended")
