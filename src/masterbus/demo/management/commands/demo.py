"""`masterbus demo`: run every loader in settings DEMO_LOADERS; refused outside the embedded
default (local settings), DEBUG or the tests, because demo accounts share a known password."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from masterbus.accounts.models import User
from masterbus.demo.users import DEMO_PASSWORD, DOMAIN

ALLOWED_SETTINGS = ("masterbus.config.settings.local", "masterbus.config.settings.test")
# Demo accounts have made-up addresses: their notification e-mails go nowhere.
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Fill the platform with examples (demo accounts, songs, messages, ...)."

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or settings.SETTINGS_MODULE in ALLOWED_SETTINGS):
            raise CommandError(
                "the demo is for the embedded default (masterbus.config.settings.local) or "
                "DEBUG: its accounts share a password printed here, so production refuses it"
            )
        with override_settings(EMAIL_BACKEND=NO_MAIL):
            for dotted in settings.DEMO_LOADERS:
                self.stdout.write(f"{dotted}:")
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Password of every demo account: {DEMO_PASSWORD}")
        )
        for user in User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email"):
            self.stdout.write(f"  {user.email}  {user.display_name}")
