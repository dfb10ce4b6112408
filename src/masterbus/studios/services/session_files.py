"""Session files shared in a booking (P15), on the same tus uploads as an order's stems.

Each file came in as a resumable upload of the uploader's, checked as audio by its content when
it finished; here the booking takes the bytes into its own folder and the upload row goes. The
files go the studio's turnaround days after the session ends, at once when the booking is
cancelled, and with the uploader's account (found generically by rights.personal)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.core import storage
from masterbus.mastering.naming import stored_extension
from masterbus.mastering.services.songs import upload_check_usable, uploads_delete
from masterbus.studios.errors import BookingStateError, StudioLimit
from masterbus.studios.models import Booking, BookingStatus, SessionFile
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner

logger = logging.getLogger(__name__)

SHARING = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def session_files_open(booking: Booking) -> bool:
    """Files are shared while the booking is confirmed or completed and inside its window."""
    if booking.status not in SHARING:
        return False
    days = booking.room.studio.files_turnaround_days
    return booking.ends_at + timedelta(days=days) > timezone.now()


def session_files_add(*, booking: Booking, user, upload_ids: list) -> list[SessionFile]:
    """The user's finished uploads become files of the booking (the user is one of its two
    parties: the caller found the booking through ``selectors.booking_for_party``).

    Bounds: BOOKING_FILES_MAX_COUNT files and BOOKING_FILES_MAX_TOTAL_BYTES per booking."""
    if not session_files_open(booking):
        raise BookingStateError("Files can be shared once the booking is confirmed.")
    ids = list(dict.fromkeys(str(i) for i in upload_ids))
    if not ids:
        raise StudioLimit("Upload at least one file.")
    owner = Owner(user=user, guest_key=None)
    uploads = [upload_get_for_owner(owner, upload_id) for upload_id in ids]
    for upload in uploads:
        upload_check_usable(upload)
    existing = SessionFile.objects.filter(booking=booking)
    limit = settings.BOOKING_FILES_MAX_COUNT
    if existing.count() + len(uploads) > limit:
        raise StudioLimit(f"A booking holds at most {limit} files.")
    total = (existing.aggregate(n=Sum("size"))["n"] or 0) + sum(u.length for u in uploads)
    if total > settings.BOOKING_FILES_MAX_TOTAL_BYTES:
        most = settings.BOOKING_FILES_MAX_TOTAL_BYTES / 1e9
        raise StudioLimit(
            f"The booking's files would add up to {total / 1e9:.1f} GB; the most is {most:g} GB."
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            files = []
            for upload in uploads:
                name = f"bookings/{booking.pk.hex}/{upload.pk.hex}.{stored_extension(upload)}"
                stored.append(storage.store(name, upload_file_path(upload)))
                files.append(
                    SessionFile.objects.create(
                        booking=booking,
                        uploader=user,
                        name=upload.filename[:255],
                        size=upload.length,
                        stored_name=stored[-1],
                    )
                )
            uploads_delete(uploads)
    except BaseException:
        storage.delete(stored)
        raise
    return files


def session_files_delete(*, booking: Booking) -> int:
    """Delete every file of the booking: rows now, bytes once that commits (idempotent)."""
    files = SessionFile.objects.filter(booking=booking)
    names = list(files.values_list("stored_name", flat=True))
    if not names:
        return 0
    files.delete()
    transaction.on_commit(lambda: storage.delete(names))
    transaction.on_commit(lambda: storage.remove_empty_dirs(f"bookings/{booking.pk.hex}"))
    return len(names)


def session_files_purge(*, now=None) -> int:
    """Periodic: the files of bookings whose session ended more than the studio's turnaround
    days ago, and of bookings no longer going ahead (cancelled, declined, expired); idempotent.
    A turnaround is at least a day, so only sessions that ended a day ago are looked at."""
    now = now or timezone.now()
    with_files = Booking.objects.filter(
        pk__in=SessionFile.objects.values("booking_id")
    ).select_related("room__studio")
    due = with_files.filter(Q(ends_at__lte=now - timedelta(days=1)) | ~Q(status__in=SHARING))
    count = 0
    for booking in due.iterator():
        days = booking.room.studio.files_turnaround_days
        if booking.status in SHARING and booking.ends_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            count += session_files_delete(booking=booking)
    if count:
        logger.info("deleted %d session file(s) after their turnaround", count)
    return count
