"""Sellers: a user applies, staff approve (P20: audited); only approved sellers list products."""

from __future__ import annotations

from masterbus.rights.audit import audited_approve
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


def seller_approve(*, profile: SellerProfile, staff_user) -> bool:
    """Let the user sell; the audit log records who allowed it. False if already approved."""
    return audited_approve(obj=profile, staff_user=staff_user, action_name=APPROVE_ACTION)
