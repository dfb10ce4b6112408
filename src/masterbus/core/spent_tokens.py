"""One-time tokens, spent once across every process and host (P6).

A per-process memory (the embedded default's locmem cache, one per web process) would let a token
be used once per process. The spent tokens are rows instead: ``token_spend`` is one INSERT under
a unique constraint on the token's digest, so of two concurrent posts of the same token exactly
one succeeds, and the periodic job "spent token purge" forgets the rows once the tokens would
have expired anyway.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from masterbus.core.models import SpentToken

logger = logging.getLogger(__name__)


def _digest(purpose: str, token_id: str) -> str:
    return hashlib.sha256(f"{purpose}:{token_id}".encode()).hexdigest()


def token_spend(*, purpose: str, token_id: str, expires_at: datetime) -> bool:
    """Record the token as used; False when it already was (here or in any other process)."""
    try:
        with transaction.atomic():  # a savepoint: a refused insert leaves the caller's work
            SpentToken.objects.create(digest=_digest(purpose, token_id), expires_at=expires_at)
    except IntegrityError:
        return False
    return True


def token_is_spent(*, purpose: str, token_id: str) -> bool:
    return SpentToken.objects.filter(digest=_digest(purpose, token_id)).exists()


def spent_token_purge(*, now: datetime | None = None) -> int:
    """Forget tokens past their expiry (they are refused as expired anyway); returns how many."""
    count, _ = SpentToken.objects.filter(expires_at__lt=now or timezone.now()).delete()
    if count:
        logger.info("purged %d expired spent token(s)", count)
    return count
