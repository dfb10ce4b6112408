"""Sellers: a user applies, staff approve (P20: audited); only approved sellers list products."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction
from masterbus.shop.errors import ShopError
from masterbus.shop.models import SellerProfile

APPROVE_ACTION = "seller_approve"


def seller_apply(*, user, display_name: str, about: str = "") -> SellerProfile:
    """Apply, or edit the application or profile; applying grants nothing."""
    if not display_name.strip():
        raise ShopError("Give the name buyers will see.")
    profile, _created = SellerProfile.objects.update_or_create(
        user=user,
        defaults={"display_name": display_name.strip()[:80], "about": about.strip()[:2000]},
    )
    return profile


@transaction.atomic
def seller_approve(*, profile: SellerProfile, staff_user) -> bool:
    """Let the user sell; the audit log records who allowed it. False if already approved."""
    moved = SellerProfile.objects.filter(pk=profile.pk, approved_at__isnull=True).update(
        approved_at=timezone.now(), approved_by=staff_user
    )
    if moved:
        profile.refresh_from_db()
        audit_record(
            actor=staff_user,
            action=AuditAction.ACTION,
            objects=[profile],
            action_name=APPROVE_ACTION,
        )
    return bool(moved)
