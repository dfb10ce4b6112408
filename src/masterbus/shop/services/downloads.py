"""Download events (kept SHOP_DOWNLOAD_RETENTION_DAYS, with a keyed hash of the address only)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from masterbus.shop.models import DownloadEvent, VersionFile


def download_record(*, user, file: VersionFile, ip_hash: str) -> DownloadEvent:
    return DownloadEvent.objects.create(
        user=user, version_id=file.version_id, platform=file.platform, ip_hash=ip_hash
    )


def download_events_purge() -> int:
    """Periodic: delete download events older than the retention window."""
    since = timezone.now() - timedelta(days=settings.SHOP_DOWNLOAD_RETENTION_DAYS)
    deleted, _ = DownloadEvent.objects.filter(created_at__lt=since).delete()
    return deleted
