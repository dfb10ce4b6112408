"""Recovery codes: allauth's encrypted seeds become per-code hashes (P2). Irreversible: the
seeds are gone, which is the point."""

from django.db import migrations


def forwards(apps, schema_editor):
    from masterbus.accounts.services import recovery_codes_rehash_legacy

    authenticator = apps.get_model("mfa", "Authenticator")
    recovery_codes_rehash_legacy(authenticators=authenticator.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_age_confirmation"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(forwards)]
