"""Building a data export (P30), the worker's side: the zip of a user's data and files.

The zip holds ``data.json`` (every row of the user's data, secrets left out; under ``actions``
only that the user acted on other people's records, see ``personal.ACTOR_FIELDS``) and the
user's files under ``files/<storage name>``, read through the storage API so it works on object
storage too.
It is built in a local temporary file and stored in one step (a hard link on disk storage, one
upload on object storage), and the row turns ready only after that: a half-written zip is never
served.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone

from masterbus.core import storage
from masterbus.core.mail import send_templated_mail
from masterbus.rights.models import DataExport, ExportStatus
from masterbus.rights.personal import actor_rows, is_secret, personal_rows, stored_names

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
PART_PREFIX = ".export-"  # folders of zips being built, next to the finished ones


def export_build(*, export_id) -> None:
    """Build the export's zip once; a second call for a finished export does nothing."""
    claimed = DataExport.objects.filter(
        pk=export_id, status__in=(ExportStatus.PENDING, ExportStatus.BUILDING)
    ).update(status=ExportStatus.BUILDING)
    if not claimed:
        return
    export = DataExport.objects.select_related("user").get(pk=export_id)
    name = f"exports/{export.user_id}/{export.pk.hex}.zip"
    try:
        with _temporary_zip_path() as path:
            _write_zip(export.user, path)
            size = path.stat().st_size
            storage.store(name, path)
    except Exception:
        logger.exception("export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        return
    updated = DataExport.objects.filter(pk=export.pk, status=ExportStatus.BUILDING).update(
        status=ExportStatus.READY, file=name, size=size, finished_at=timezone.now()
    )
    if not updated:  # deleted meanwhile (the account went): leave no file behind
        storage.delete([name])
        return
    logger.info("export %s ready (%d bytes)", export.pk, size)
    _notify(export)


@contextlib.contextmanager
def _temporary_zip_path() -> Iterator[Path]:
    """A fresh local path for the zip, next to disk storage when there is one (so storing it is
    a hard link), removed afterwards."""
    try:
        parent = Path(default_storage.path("exports"))
        parent.mkdir(parents=True, exist_ok=True)
    except NotImplementedError:  # object storage: a local temporary folder
        parent = None
    folder = Path(tempfile.mkdtemp(prefix=PART_PREFIX, dir=parent))
    try:
        yield folder / "export.zip"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_zip(user, path: Path) -> None:
    rows = personal_rows(user)
    data: dict[str, list[dict]] = {}
    names: list[str] = []
    blobs: list[tuple[str, bytes]] = []  # binary fields (a profile picture) become files
    for model, instances in sorted(rows.items(), key=lambda item: item[0]._meta.label_lower):
        fields = [f for f in model._meta.concrete_fields if not is_secret(model, f)]
        label = model._meta.label_lower
        data[label] = []
        for row in instances:
            item = {}
            for field in fields:
                value = field.value_from_object(row)
                if isinstance(field, models.FileField):
                    value = value.name or ""
                elif isinstance(value, (bytes, memoryview)):
                    blobs.append((f"files/{label}/{row.pk}-{field.name}", bytes(value)))
                    value = blobs[-1][0]
                item[field.attname] = value
            data[label].append(item)
            names += [n for n in stored_names(row) if n not in names]
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "account": user.email,
        "files": [f"files/{name}" for name in names] + [arcname for arcname, _ in blobs],
        "data": data,
        "actions": actor_rows(user, rows),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=1))
        for arcname, blob in blobs:
            archive.writestr(arcname, blob)
        for name in names:
            if not default_storage.exists(name):
                continue
            # Audio is already compressed or barely compressible: store it, stream it.
            info = zipfile.ZipInfo(f"files/{name}", date_time=timezone.now().timetuple()[:6])
            with (
                default_storage.open(name, "rb") as source,
                archive.open(info, "w", force_zip64=True) as target,
            ):
                shutil.copyfileobj(source, target, 1 << 20)


def _notify(export: DataExport) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("rights:data")
    try:
        send_templated_mail(
            template_prefix="rights/email/export_ready",
            context={"data_url": link, "retention_days": settings.EXPORT_RETENTION_DAYS},
            to=[export.user.email],
        )
    except OSError:
        logger.exception("could not send the export email for %s", export.pk)
