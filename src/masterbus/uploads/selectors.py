"""Reads of uploads, always scoped to their owner (P18)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from masterbus.uploads.errors import UploadError
from masterbus.uploads.models import PreviewSet, PreviewStatus, Upload, UploadStatus

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

NOT_FOUND_MESSAGE = "There is no such upload."


def upload_get_for_owner(owner: Owner, upload_id: uuid.UUID | str) -> Upload:
    """The owner's upload; another owner's id is answered exactly like an unknown one."""
    try:
        return Upload.objects.for_owner(owner).get(pk=upload_id)
    except (Upload.DoesNotExist, ValidationError):
        raise UploadError("not_found", NOT_FOUND_MESSAGE) from None


def upload_file_path(upload: Upload) -> Path:
    """Where the upload's bytes are on this machine's disk (the engine reads local files)."""
    return Path(settings.MEDIA_ROOT) / upload.stored_name


def upload_is_expired(upload: Upload) -> bool:
    """An unfinished upload past its Upload-Expires time can no longer be resumed."""
    return upload.status == UploadStatus.UPLOADING and upload.expires_at <= timezone.now()


def preview_set_get_for_owner(owner: Owner, upload_id, set_id) -> PreviewSet:
    """The owner's preview set of the owner's upload; anything else reads as unknown."""
    try:
        return PreviewSet.objects.for_owner(owner).get(pk=set_id, upload_id=upload_id)
    except (PreviewSet.DoesNotExist, ValidationError):
        raise UploadError("not_found", "There are no such previews.") from None


def preview_file_name(preview_set: PreviewSet, name: str) -> str | None:
    """The storage name of one finished preview ("original" or a style), or None."""
    if preview_set.status != PreviewStatus.DONE:
        return None
    return (preview_set.files or {}).get(name)
