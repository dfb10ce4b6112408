"""Machine activations: authenticated by the licence key itself, bounded per licence, rate
limited, and watched by the abuse limits (too many changes or addresses in a window flag the
licence for staff review; nothing is blocked silently)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text
from masterbus.shop import signing
from masterbus.shop.errors import ActivationLimit, LicenceInvalid, ShopError, ShopRateLimited
from masterbus.shop.models import Activation, Licence, LicenceEvent, LicenceEventKind, LicenceStatus
from masterbus.shop.services.licences import licence_flag

MACHINE = re.compile(r"[0-9a-f]{16,64}")


def licence_from_key(key: str) -> Licence:
    """The active licence a genuine key names; LicenceInvalid otherwise (same words for both)."""
    try:
        payload = signing.key_verify(key)
    except signing.KeyInvalid as error:
        raise LicenceInvalid(str(error)) from None
    licence = (
        Licence.objects.select_related("product")
        .filter(pk=payload.lid, status=LicenceStatus.ACTIVE, user__isnull=False)
        .first()
    )
    if licence is None:
        raise LicenceInvalid("This licence is not active (refunded, revoked or closed).")
    return licence


def _machine(machine: str) -> str:
    machine = machine.strip().lower()
    if not MACHINE.fullmatch(machine):
        raise ShopError("The machine is a hash of 16 to 64 hexadecimal characters.")
    return machine


def _rate_check(licence: Licence) -> None:
    rate = parse_rate(settings.SHOP_LICENCE_RATE)
    key = hashlib.sha256(f"licence:{licence.pk}".encode()).hexdigest()
    refusal = rate_limit_hit(scope="licence", key=key, rate=rate)
    if refusal is not None:
        raise ShopRateLimited(
            f"Too many activation changes: try again in {wait_text(refusal.retry_after)}.",
            retry_after=refusal.retry_after,
        )


def live_activations(licence: Licence):
    return licence.activations.filter(deactivated_at__isnull=True)


@transaction.atomic
def activation_create(*, key: str, machine: str, label: str = "", ip_hash: str = "") -> Activation:
    """Activate a machine (again: the same live activation), within the per-licence limit."""
    licence = licence_from_key(key)
    machine = _machine(machine)
    _rate_check(licence)
    Licence.objects.select_for_update().filter(pk=licence.pk).first()  # one activation at a time
    found = live_activations(licence).filter(machine_hash=machine).first()
    if found is not None:
        return found
    limit = settings.SHOP_ACTIVATIONS_PER_LICENCE
    if live_activations(licence).count() >= limit:
        raise ActivationLimit(
            f"This licence is active on {limit} machines already: deactivate one on your "
            "licence page first."
        )
    try:
        with transaction.atomic():
            activation = Activation.objects.create(
                licence=licence,
                user_id=licence.user_id,
                machine_hash=machine,
                label=label.replace("\x00", "").strip()[:80],
                ip_hash=ip_hash,
            )
    except IntegrityError:  # the same machine at the same moment
        return live_activations(licence).get(machine_hash=machine)
    _event(licence, LicenceEventKind.ACTIVATE, ip_hash)
    return activation


def activation_deactivate_by_key(*, key: str, machine: str, ip_hash: str = "") -> bool:
    licence = licence_from_key(key)
    machine = _machine(machine)
    _rate_check(licence)
    activation = live_activations(licence).filter(machine_hash=machine).first()
    return activation is not None and activation_deactivate(activation=activation, ip_hash=ip_hash)


def activation_deactivate(*, activation: Activation, ip_hash: str = "") -> bool:
    """Free the machine's place (self-service on the licence page, or from the plugin)."""
    moved = Activation.objects.filter(pk=activation.pk, deactivated_at__isnull=True).update(
        deactivated_at=timezone.now()
    )
    if moved:
        _event(activation.licence, LicenceEventKind.DEACTIVATE, ip_hash)
    return bool(moved)


def _event(licence: Licence, kind: str, ip_hash: str) -> None:
    """Record the change, then flag the licence when the window holds too many changes or
    addresses (sharing a key widely looks like this; a person reinstalling does not)."""
    LicenceEvent.objects.create(
        licence=licence, user_id=licence.user_id, kind=kind, ip_hash=ip_hash
    )
    since = timezone.now() - timedelta(hours=settings.SHOP_ABUSE_WINDOW_HOURS)
    recent = LicenceEvent.objects.filter(licence=licence, created_at__gte=since)
    changes = recent.count()
    addresses = recent.exclude(ip_hash="").values("ip_hash").distinct().count()
    window = f"{settings.SHOP_ABUSE_WINDOW_HOURS} hours"
    if changes > settings.SHOP_ABUSE_MAX_CHANGES:
        licence_flag(licence=licence, reason=f"{changes} activation changes in {window}")
    elif addresses > settings.SHOP_ABUSE_MAX_ADDRESSES:
        licence_flag(licence=licence, reason=f"activations from {addresses} addresses in {window}")
