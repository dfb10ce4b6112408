"""Per-owner quotas, so that one guest or account cannot fill the queue or the disk.

- masters waiting or running: a new master (a song, a re-master, a whole album) is accepted
  while the owner has fewer than ``QUOTA_ACTIVE_JOBS_GUEST`` / ``QUOTA_ACTIVE_JOBS_USER`` jobs
  queued or running (an album may then add all its tracks at once);
- re-masters per owner (``RATE_LIMIT_REMASTERS``, counted like the other rate limits in
  ``masterbus.security.ratelimit``);
- a guest's stored bytes (originals, uploads, deliveries) up to ``QUOTA_GUEST_STORAGE_BYTES``.

Each check raises ``QuotaError`` (HTTP 429) with a sentence for the person.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Sum

from masterbus.mastering.errors import QuotaError
from masterbus.mastering.models import ACTIVE_STATUSES, Delivery, Job, Song
from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text
from masterbus.uploads.models import Upload, UploadStatus

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

# A guess for clients: a master of a few minutes' audio takes about this long.
ACTIVE_RETRY_AFTER_S = 60


def active_jobs_check(*, owner: Owner) -> None:
    """Refuse a new master while the owner already has the most jobs queued or running."""
    limit = settings.QUOTA_ACTIVE_JOBS_USER if owner.is_user else settings.QUOTA_ACTIVE_JOBS_GUEST
    active = Job.objects.for_owner(owner).filter(status__in=ACTIVE_STATUSES).count()
    if active >= limit:
        raise QuotaError(
            f"You already have {active} masters waiting or in progress; at most {limit} can be "
            "at once. Start this one when one of them is done.",
            retry_after=ACTIVE_RETRY_AFTER_S,
        )


def remaster_rate_check(*, owner: Owner) -> None:
    """Count one re-master against the owner's window; refuse when over the rate."""
    rate = parse_rate(settings.RATE_LIMIT_REMASTERS)
    refusal = rate_limit_hit(scope="remaster", key=_owner_key(owner), rate=rate)
    if refusal is not None:
        raise QuotaError(
            f"Too many re-masters: at most {rate.amount} every {_window(rate.seconds)}. "
            f"Please try again in {wait_text(refusal.retry_after)}.",
            code="rate_limited",
            retry_after=refusal.retry_after,
        )


def guest_storage_check(*, owner: Owner, adding: int = 0) -> None:
    """Refuse to store ``adding`` more bytes (or new masters) for a guest over the quota."""
    if owner.is_user:
        return
    limit = settings.QUOTA_GUEST_STORAGE_BYTES
    used = guest_storage_bytes(owner=owner)
    if used + adding > limit:
        raise QuotaError(
            f"Your songs as a guest take {_size(used)}; a guest can keep up to {_size(limit)}. "
            "Delete songs you no longer need, or sign up to keep more."
        )


def guest_storage_bytes(*, owner: Owner) -> int:
    """The owner's stored bytes: originals, uploads (being sent or finished) and deliveries."""
    originals = Song.objects.for_owner(owner).aggregate(n=Sum("original_size"))
    uploads = (
        Upload.objects.for_owner(owner)
        .exclude(status=UploadStatus.FAILED)
        .aggregate(n=Sum("length"))
    )
    deliveries = Delivery.objects.for_owner(owner).aggregate(n=Sum("size"))
    return sum(found["n"] or 0 for found in (originals, uploads, deliveries))


def _owner_key(owner: Owner) -> str:
    """A hash of who owns (the guest key is a secret cookie value: never a cache key)."""
    who = f"user:{owner.user.pk}" if owner.user is not None else f"guest:{owner.guest_key}"
    return hashlib.sha256(who.encode()).hexdigest()


def _window(seconds: int) -> str:
    return {60: "minute", 3600: "hour", 86400: "day"}.get(seconds) or wait_text(seconds)


def _size(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.0f} MB"
