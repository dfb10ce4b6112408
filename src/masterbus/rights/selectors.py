"""Rights reads, scoped to the asking user."""

from __future__ import annotations

import uuid

from masterbus.rights.models import DataExport, ExportStatus


def export_latest(user) -> DataExport | None:
    return DataExport.objects.filter(user=user).first()


def export_ready_for_user(user, export_id) -> DataExport | None:
    """The user's finished export with this id; anyone else's reads as unknown."""
    try:
        pk = uuid.UUID(str(export_id))
    except ValueError:
        return None
    return DataExport.objects.filter(pk=pk, user=user, status=ExportStatus.READY).first()
