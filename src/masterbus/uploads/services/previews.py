"""Style previews of a finished upload: asked for by the page or the API, rendered by a worker.

One preview set per upload, intensity and loudness target (asking again returns the same set);
at most ``PREVIEW_SETS_PER_UPLOAD`` sets per upload and ``RATE_LIMIT_PREVIEWS`` new sets per
owner, so a slider dragged back and forth cannot queue unbounded work. The files go through
``core.storage`` (disk or S3) and are deleted with the upload (``upload_delete``), which also
covers the guest expiry (P12) and the account purge.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from masterbus.core import storage
from masterbus.engine import EngineError, MasterSettings
from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text
from masterbus.uploads.errors import UploadError
from masterbus.uploads.models import PreviewSet, PreviewStatus, Upload, UploadStatus
from masterbus.uploads.preview_runner import preview_prefix
from masterbus.uploads.tasks import render_previews

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

logger = logging.getLogger(__name__)


def preview_set_request(
    *, owner: Owner, upload: Upload, intensity: int, target_lufs: float
) -> PreviewSet:
    """The upload's preview set for these settings, queued for a worker if new (or failed).

    Raises UploadError: ``not_complete`` (409) before the upload finished, ``bad_request`` for
    settings the engine refuses, ``quota_exceeded`` / ``rate_limited`` (429) over the bounds.
    """
    if upload.status != UploadStatus.COMPLETE:
        raise UploadError("not_complete", "Previews can be made once the upload is complete.")
    try:
        chosen = MasterSettings(target_lufs=target_lufs, intensity=intensity)
    except EngineError as exc:
        raise UploadError("bad_request", str(exc)) from None
    target = round(float(chosen.target_lufs), 1)
    found = upload.preview_sets.filter(intensity=intensity, target_lufs=target).first()
    if found is not None:
        return _requeue_if_failed(found)
    if upload.preview_sets.count() >= settings.PREVIEW_SETS_PER_UPLOAD:
        raise UploadError(
            "quota_exceeded",
            f"This upload already has previews at {settings.PREVIEW_SETS_PER_UPLOAD} settings; "
            "choose one of those, or master the song.",
        )
    _rate_check(owner)
    try:
        with transaction.atomic():
            preview_set = PreviewSet.objects.create(
                **owner.create_kwargs(), upload=upload, intensity=intensity, target_lufs=target
            )
    except IntegrityError:  # the same settings asked for twice at the same moment
        return upload.preview_sets.get(intensity=intensity, target_lufs=target)
    _enqueue(preview_set)
    return preview_set


def _requeue_if_failed(preview_set: PreviewSet) -> PreviewSet:
    """A failed set, one whose worker died (running past the stale time) or one whose task never
    reached the queue (queued past the stale time) is queued again: asking again is the retry.
    Two tasks for one set are harmless, only one claims it."""
    stale = timezone.now() - timedelta(seconds=settings.PREVIEW_STALE_SECONDS)
    again = PreviewSet.objects.filter(pk=preview_set.pk).filter(
        Q(status=PreviewStatus.FAILED)
        | Q(status=PreviewStatus.RUNNING, started_at__lt=stale)
        | Q(status=PreviewStatus.QUEUED, created_at__lt=stale)
    )
    if again.update(status=PreviewStatus.QUEUED, error_message=""):
        preview_set.refresh_from_db()
        _enqueue(preview_set)
    return preview_set


def _enqueue(preview_set: PreviewSet) -> None:
    set_id = str(preview_set.pk)

    def enqueue() -> None:
        try:
            render_previews.enqueue(set_id)
        except Exception:  # the queue is down: asking again after the stale time retries
            logger.exception("could not queue preview set %s", set_id)

    transaction.on_commit(enqueue)


def _rate_check(owner: Owner) -> None:
    rate = parse_rate(settings.RATE_LIMIT_PREVIEWS)
    who = f"user:{owner.user.pk}" if owner.user is not None else f"guest:{owner.guest_key}"
    key = hashlib.sha256(who.encode()).hexdigest()  # the guest key is a secret: never a key
    refusal = rate_limit_hit(scope="previews", key=key, rate=rate)
    if refusal is not None:
        raise UploadError(
            "rate_limited",
            f"Too many previews asked for; please try again in {wait_text(refusal.retry_after)}.",
        )


def preview_files_of(upload: Upload) -> list[str]:
    """The storage names of every preview of an upload (for deleting them with it)."""
    names: list[str] = []
    for files in upload.preview_sets.values_list("files", flat=True):
        names += list((files or {}).values())
    return names


def preview_files_delete(names: list[str], upload_id) -> None:
    """Delete an upload's preview files and their folder."""
    storage.delete(names)
    storage.remove_empty_dirs(preview_prefix(upload_id))
