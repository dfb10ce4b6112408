"""The worker's side of style previews: claim a queued set, render it, store and record it.

A set is rendered by whoever moves it from queued to running (one conditional UPDATE); the files
are stored under fixed names and recorded only if the set still exists, else removed, so an
upload deleted mid-render leaves nothing behind.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.core import storage
from masterbus.engine import EngineError
from masterbus.uploads.models import PreviewSet, PreviewStatus
from masterbus.uploads.selectors import upload_file_path

logger = logging.getLogger(__name__)

PREVIEW_DIR = "previews"
FAILED_UNEXPECTEDLY = "The previews could not be made on our side. Try again in a moment."


def preview_prefix(upload_id) -> str:
    """The storage folder of an upload's previews."""
    return f"{PREVIEW_DIR}/{upload_id.hex}"


def preview_set_run(*, preview_set_id) -> None:
    """Render one set if it is queued (the worker's side); safe to call any number of times."""
    # the DSP (numpy, numba kernels) loads in the worker only, never in a web process
    from masterbus.engine.previews import render_previews

    claimed = PreviewSet.objects.filter(pk=preview_set_id, status=PreviewStatus.QUEUED).update(
        status=PreviewStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    preview_set = PreviewSet.objects.select_related("upload").get(pk=preview_set_id)
    workdir = Path(tempfile.mkdtemp(prefix=f"masterbus-previews-{preview_set.pk.hex}-"))
    try:
        report = render_previews(
            upload_file_path(preview_set.upload),
            workdir,
            intensity=preview_set.intensity,
            target_lufs=preview_set.target_lufs,
            max_seconds=settings.MAX_AUDIO_SECONDS,
        )
        _finish(preview_set, report)
    except EngineError as exc:
        _fail(preview_set, f"The previews could not be made: {exc}")
    except Exception:
        logger.exception("preview set %s failed unexpectedly", preview_set.pk)
        _fail(preview_set, FAILED_UNEXPECTEDLY)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _finish(preview_set: PreviewSet, report: dict) -> None:
    """Store the files under fixed names, then record them if the set still exists."""
    folder = f"{preview_prefix(preview_set.upload_id)}/{preview_set.pk.hex}"
    stored = {
        name: storage.store(f"{folder}/{name}.wav", Path(path))
        for name, path in report.pop("files").items()
    }
    with transaction.atomic():
        updated = PreviewSet.objects.filter(pk=preview_set.pk, status=PreviewStatus.RUNNING).update(
            status=PreviewStatus.DONE,
            files=stored,
            report=report,
            finished_at=timezone.now(),
        )
    if not updated:  # the upload (and the set) went meanwhile: leave no files behind
        storage.delete(list(stored.values()))
        storage.remove_empty_dirs(preview_prefix(preview_set.upload_id))


def _fail(preview_set: PreviewSet, message: str) -> None:
    PreviewSet.objects.filter(pk=preview_set.pk, status=PreviewStatus.RUNNING).update(
        status=PreviewStatus.FAILED, error_message=message, finished_at=timezone.now()
    )
