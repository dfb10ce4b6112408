"""Account writes: moving a guest's data to the account that signs in (P10)."""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction

from masterbus.accounts.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def guest_claim(*, guest_key: str, user: User) -> int:
    """Give every row the guest owns to ``user``; returns how many rows moved."""
    moved = 0
    for label in settings.GUEST_OWNED_MODELS:
        model = apps.get_model(label)
        moved += model.objects.filter(user=None, guest_key=guest_key).update(
            user=user, guest_key=None
        )
    if moved:
        logger.info("moved %d guest rows to user %s", moved, user.pk)
    return moved


def user_set_email_on_master_ready(*, user: User, enabled: bool) -> None:
    """Switch the "your master is ready" email on or off."""
    User.objects.filter(pk=user.pk).update(email_on_master_ready=enabled)
    user.email_on_master_ready = enabled
