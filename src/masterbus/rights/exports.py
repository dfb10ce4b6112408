"""Export writes (P30): request an export (built in the background by ``exporter``), purge and
delete old ones.
"""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from masterbus.core import storage
from masterbus.rights.exporter import PART_PREFIX
from masterbus.rights.exporter import export_build as export_build  # re-exported for older callers
from masterbus.rights.models import EXPORT_LOST_AFTER, DataExport
from masterbus.rights.tasks import build_export

logger = logging.getLogger(__name__)


def export_request(*, user) -> DataExport:
    """Queue an export, or return the one already on its way."""
    latest = DataExport.objects.filter(user=user).first()
    if latest is not None and latest.in_progress:
        return latest
    export = DataExport.objects.create(user=user)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id) -> None:
    build_export.enqueue(str(export_id))


def export_purge(*, now=None) -> int:
    """Delete exports (zip and row) older than EXPORT_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    count = 0
    for export in DataExport.objects.filter(created_at__lt=cutoff):
        export_delete(export=export)
        count += 1
    count += _leftover_parts_remove(older_than=(now or timezone.now()) - EXPORT_LOST_AFTER)
    if count:
        logger.info("purged %d expired data export(s)", count)
    return count


def _leftover_parts_remove(*, older_than) -> int:
    """Half-built zips of workers that died mid-build (disk storage only; object storage never
    sees a part)."""
    try:
        parent = Path(default_storage.path("exports"))
    except NotImplementedError:
        return 0
    removed = 0
    for folder in parent.glob(f"{PART_PREFIX}*"):
        if folder.stat().st_mtime < older_than.timestamp():
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def export_delete(*, export: DataExport) -> None:
    name = export.file
    export.delete()
    transaction.on_commit(lambda: storage.delete([name]))
