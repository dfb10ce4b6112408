"""Licences: bought through the payments app (purpose "shop", the seller as payee), issued as a
signed key when the payment's webhook arrives, revoked on refund or by staff after review."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.payments import services as payments
from masterbus.payments.errors import AlreadyPaid
from masterbus.payments.models import CHARGED, Payment
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction
from masterbus.shop import signing
from masterbus.shop.errors import ShopError
from masterbus.shop.models import Licence, LicenceStatus, Product

PURPOSE = "shop"
REVOKE_ACTION = "licence_revoke"
CLEAR_ACTION = "licence_flag_clear"


def licence_checkout(*, user, product: Product, success_url: str, cancel_url: str):
    """Start paying for a product: a pending licence (reused while unpaid) and its checkout."""
    if product.seller is None or not product.seller.is_approved or not product.active:
        raise ShopError("This product is not for sale.")
    if product.seller.user_id == user.pk:
        raise ShopError("You cannot buy your own product.")
    if Licence.objects.filter(user=user, product=product, status=LicenceStatus.ACTIVE).exists():
        raise ShopError("You already own a licence for this product.")
    licence = Licence.objects.filter(
        user=user, product=product, status=LicenceStatus.PENDING
    ).first() or Licence.objects.create(user=user, product=product)
    try:
        return payments.checkout_start(
            payer=user,
            purpose=PURPOSE,
            purpose_id=str(licence.pk),
            lines=[payments.Line(f"{product.name} (licence)", product.price)],
            currency=product.currency,
            payee=product.seller.user,
            fee_rule=PURPOSE,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except AlreadyPaid:
        raise ShopError(
            "This licence is paid already; it appears once the payment is confirmed."
        ) from None


def licence_issue(*, licence: Licence) -> bool:
    """pending -> active with its signed key, once (one conditional UPDATE)."""
    now = timezone.now()
    key = signing.key_sign(
        signing.LicencePayload(
            lid=str(licence.pk),
            product=licence.product.slug,
            account=signing.account_ref(licence.user_id or 0),
            issued=now.date().isoformat(),
            edition=licence.edition,
        )
    )
    moved = Licence.objects.filter(pk=licence.pk, status=LicenceStatus.PENDING).update(
        status=LicenceStatus.ACTIVE, key=key, issued_at=now
    )
    return bool(moved)


def licence_revoke(*, licence: Licence, reason: str, staff_user=None) -> bool:
    """active -> revoked (refund, abuse, a closed account); staff revocations are audited."""
    moved = Licence.objects.filter(pk=licence.pk, status=LicenceStatus.ACTIVE).update(
        status=LicenceStatus.REVOKED, revoked_at=timezone.now(), revoke_reason=reason[:200]
    )
    if moved and staff_user is not None:
        licence.refresh_from_db()
        audit_record(
            actor=staff_user,
            action=AuditAction.ACTION,
            objects=[licence],
            action_name=REVOKE_ACTION,
        )
    return bool(moved)


def licence_payment(licence: Licence) -> Payment | None:
    return Payment.objects.filter(
        purpose=PURPOSE, purpose_id=str(licence.pk), status__in=CHARGED
    ).first()


def refund_deadline(licence: Licence):
    return licence.issued_at + timedelta(days=settings.SHOP_REFUND_WINDOW_DAYS)


def refundable(licence: Licence) -> bool:
    """Active, issued within the refund window (the buyer's own button shows then)."""
    return (
        licence.status == LicenceStatus.ACTIVE
        and licence.issued_at is not None
        and timezone.now() <= refund_deadline(licence)
    )


def licence_refund(*, licence: Licence, user) -> None:
    """Self-service refund within the window; the licence is revoked when the refund applies
    (``ShopPurpose.on_refunded``, from the provider's answer or its webhook)."""
    if licence.user_id != user.pk or licence.status != LicenceStatus.ACTIVE:
        raise ShopError("Only an active licence of yours can be refunded.")
    if not refundable(licence):
        days = settings.SHOP_REFUND_WINDOW_DAYS
        raise ShopError(f"Refunds are possible within {days} days of buying.")
    payment = licence_payment(licence)
    if payment is None:
        raise ShopError("There is no payment to refund for this licence.")
    payments.payment_refund(payment=payment, reason="refund asked by the buyer")


@transaction.atomic
def licence_flag(*, licence: Licence, reason: str) -> bool:
    """Mark for staff review (the licence keeps working); once until cleared."""
    return bool(
        Licence.objects.filter(pk=licence.pk, flagged_at__isnull=True).update(
            flagged_at=timezone.now(), flag_reason=reason[:200]
        )
    )


@transaction.atomic
def licence_flag_clear(*, licence: Licence, staff_user) -> bool:
    moved = Licence.objects.filter(pk=licence.pk, flagged_at__isnull=False).update(
        flagged_at=None, flag_reason=""
    )
    if moved:
        audit_record(
            actor=staff_user, action=AuditAction.ACTION, objects=[licence], action_name=CLEAR_ACTION
        )
    return bool(moved)
