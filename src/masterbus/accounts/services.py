"""Account writes: moving a guest's data to the account that signs in (P10), and replacing
allauth's recovery-code seeds with hashes (P2)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from masterbus.accounts.guests import guest_key_hash
from masterbus.accounts.models import RetiredGuestKey, User
from masterbus.accounts.recovery_codes import AllauthRecoveryCodes, hashed_set
from masterbus.core.models import owned_models

logger = logging.getLogger(__name__)


@transaction.atomic
def guest_claim(*, guest_key: str, user: User) -> int:
    """Give every row the guest owns to ``user`` and retire the key, so that the old cookie
    value owns nothing from now on, even replayed; returns how many rows moved."""
    RetiredGuestKey.objects.get_or_create(key_hash=guest_key_hash(guest_key))
    moved = 0
    for model in owned_models():
        moved += model.objects.filter(user=None, guest_key=guest_key).update(
            user=user, guest_key=None
        )
    if moved:
        logger.info("moved %d guest rows to user %s", moved, user.pk)
    return moved


def guest_keys_retired_purge(*, now=None) -> int:
    """Forget retired guest keys older than a guest cookie lives (GUEST_RETENTION_DAYS)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.GUEST_RETENTION_DAYS)
    deleted, _ = RetiredGuestKey.objects.filter(retired_at__lt=cutoff).delete()
    return deleted


def user_set_email_on_master_ready(*, user: User, enabled: bool) -> None:
    """Switch the "your master is ready" email on or off."""
    User.objects.filter(pk=user.pk).update(email_on_master_ready=enabled)
    user.email_on_master_ready = enabled


@transaction.atomic
def recovery_codes_rehash_legacy(*, authenticators: QuerySet) -> int:
    """Turn every recovery-code set still in allauth's seed format into hashes; returns how many.

    A set the user has seen keeps its unused codes (each still works once); a set never shown
    is known to nobody, so it becomes empty and gets fresh codes on its first view. Takes the
    queryset so the migration can pass its historical model.
    """
    changed = 0
    for row in authenticators.filter(type="recovery_codes"):
        if "seed" not in row.data and "migrated_codes" not in row.data:
            continue
        viewed_at = row.data.get("viewed_at")
        if "migrated_codes" in row.data:  # codes brought from another library: known to the user
            viewed_at = viewed_at or time.time()
        codes = AllauthRecoveryCodes(row).get_unused_codes() if viewed_at else []
        row.data = hashed_set(codes, viewed_at=viewed_at)
        row.save(update_fields=["data"])
        changed += 1
    if changed:
        logger.info("recovery codes: %d sets moved from seeds to hashes", changed)
    return changed
