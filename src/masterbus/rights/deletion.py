"""Account deletion (P32, P7): deactivate and sign out at once, purge everything after a window.

``account_delete`` takes effect immediately: the account is deactivated (it cannot sign in, its
API tokens stop working), its password is made unusable and every session of it ends. The purge
(``account_purge_due``, a periodic job) runs after ACCOUNT_PURGE_DAYS and deletes the user's files
and every row of the user (found generically, see ``masterbus.rights.personal``).

Records the law or accountability requires us to keep are listed in ``ANONYMISED``: they are kept
with the link to the user cleared and their personal fields overwritten, instead of deleted: the
rights-request register, the audit log, and payments and invoices (P23: kept 7 years). Bookings
and orders stay for the other side with the link to the user cleared (their foreign keys are
SET_NULL); what is scrubbed from them is the free text the user wrote (notes, messages) and the
name they typed to sign a studio's terms: the signature's time, version, text and hash stay, so
a sealed agreement PDF either side downloaded still matches its booking, while the row itself
no longer names the person (the PDF is the legal record, held by the parties).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from masterbus.core import storage
from masterbus.mastering.services.cleanup import owned_media_delete
from masterbus.rights.audit import DELETED, audit_forget_objects
from masterbus.rights.exports import export_delete
from masterbus.rights.models import AccountDeletion, DataExport, DeletionReason
from masterbus.rights.personal import personal_rows, stored_names

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anonymised:
    """Rows of ``model`` matching ``rows(user)`` are kept with ``replace`` written over them."""

    model: str
    rows: Callable[..., Q]
    replace: dict = field(default_factory=dict)
    why: str = ""


REMOVED = "(removed with the account)"
SIGNER_DELETED = "deleted user"

ANONYMISED: tuple[Anonymised, ...] = (
    Anonymised(
        "rights.RightsRequest",
        lambda user: Q(user=user) | Q(email__iexact=user.email),
        {"user": None, "email": "", "message": REMOVED},
        "proof that a rights request was answered in time (P34)",
    ),
    Anonymised(
        "rights.AuditEvent",
        lambda user: Q(actor=user),
        {"actor": None, "actor_label": DELETED},
        "what staff did stays accountable after a staff account is deleted (P20)",
    ),
    Anonymised(
        "payments.Payment",
        lambda user: Q(payer=user),
        {"payer": None, "billing_name": DELETED, "billing_email": ""},
        "payment records are kept 7 years for tax (P23); amounts and dates stay",
    ),
    Anonymised(
        "payments.Invoice",
        lambda user: Q(buyer=user),
        {"buyer": None, "buyer_name": DELETED, "buyer_email": ""},
        "issued invoices are kept 7 years for tax (P23), numbered without gaps",
    ),
    # Bookings and orders stay with the other side (financial records, the link to the user is
    # SET_NULL); the free text the deleted user wrote into them, which may name them, goes.
    Anonymised(
        "studios.Booking",
        lambda user: Q(client=user),
        {"note": ""},
        "a booking is the studio's financial record (P23); the client's note may name them",
    ),
    Anonymised(
        "studios.Agreement",
        lambda user: Q(signer=user),
        {"signed_name": SIGNER_DELETED},
        "the agreement PDF, sealed when it was downloaded, is the legal record and either side "
        "may hold a copy; the row keeps the time, version, text and its hash so that copy can "
        "still be matched to the booking, without the typed name",
    ),
    Anonymised(
        "orders.Order",
        lambda user: Q(client=user),
        {"notes": ""},
        "the engineer keeps the order (P23); the client's session notes go",
    ),
    Anonymised(
        "orders.RevisionNote",
        lambda user: Q(delivery__order__client=user),
        {"text": REMOVED},
        "the client's revision notes go; the times they were pinned to stay for the engineer",
    ),
    Anonymised(
        "orders.OrderEvent",
        lambda user: Q(order__client=user, kind__in=("revision_requested", "disputed")),
        {"text": ""},
        "the timeline stays; the words of the client's revision requests and disputes go",
    ),
    Anonymised(
        "orders.Delivery",
        lambda user: Q(order__engineer=user),
        {"message": ""},
        "the client keeps the versions delivered; the engineer's messages with them go",
    ),
)


@transaction.atomic
def account_delete(*, user, reason: str = DeletionReason.USER_REQUEST) -> AccountDeletion:
    """Deactivate the account and end all its sessions now; the purge follows (see
    ``AccountDeletion.purge_after``). Asking twice keeps the first request; a staff finding
    that the account is a child's (P7) makes the purge immediate."""
    deletion, created = AccountDeletion.objects.get_or_create(
        user=user, defaults={"reason": reason}
    )
    if not created and reason == DeletionReason.UNDER_AGE:
        deletion.reason = reason
        deletion.save(update_fields=["reason"])
    user.is_active = False
    user.set_unusable_password()  # also invalidates every session's auth hash
    user.save(update_fields=["is_active", "password"])
    ended = _end_sessions(user)
    logger.info("account %s deactivated (%s), %d session(s) ended", user.pk, reason, ended)
    return deletion


def _end_sessions(user) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def account_purge_due(*, now=None) -> int:
    """Purge every account whose deletion window has passed; returns how many (idempotent)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_PURGE_DAYS)
    due = AccountDeletion.objects.filter(
        Q(reason=DeletionReason.UNDER_AGE) | Q(requested_at__lte=cutoff)
    )
    count = 0
    for deletion in due.select_related("user"):
        user_purge(user=deletion.user)
        count += 1
    if count:
        logger.info("purged %d deleted account(s)", count)
    return count


@transaction.atomic
def user_purge(*, user) -> None:
    """Delete the user's files and rows; keep the ANONYMISED records with the user cut out."""
    for entry in ANONYMISED:
        model = apps.get_model(entry.model)
        model.objects.filter(entry.rows(user)).update(**entry.replace)
    owned_media_delete(user=user)
    for export in DataExport.objects.filter(user=user):
        export_delete(export=export)
    rows = personal_rows(user)
    names = [name for instances in rows.values() for row in instances for name in stored_names(row)]
    audit_forget_objects(rows)
    user_id = user.pk
    user.delete()
    transaction.on_commit(lambda: storage.delete(names))
    transaction.on_commit(lambda: storage.remove_empty_dirs(f"exports/{user_id}"))
