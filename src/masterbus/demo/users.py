"""Demo accounts: verified, 18+ confirmed, one shared password printed on the console.

Only the embedded default (or DEBUG) runs the demo command, so a known password is acceptable:
these accounts exist on a developer's own machine.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.utils import timezone

from masterbus.accounts.models import User

DEMO_PASSWORD = "masterbus-demo"
DOMAIN = "demo.masterbus.local"


def demo_user(name: str, *, display_name: str, stdout, staff_role: str | None = None) -> User:
    """``<name>@demo.masterbus.local``, made on first use; prints its sign-in once made."""
    email = f"{name}@{DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            display_name=display_name,
            age_confirmed_at=timezone.now(),
            age_confirmed_minimum=18,
            is_staff=staff_role is not None,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        stdout.write(f"  user {email} ({display_name})")
    if staff_role is not None:
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=staff_role))
    return user
