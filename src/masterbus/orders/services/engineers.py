"""Engineer profiles (applied for by a user, approved by staff), their packages and samples."""

from __future__ import annotations

from django.db import transaction

from masterbus.accounts.owner import Owner
from masterbus.core import storage
from masterbus.mastering.naming import stored_extension
from masterbus.mastering.services.songs import upload_check_usable, uploads_delete
from masterbus.orders.errors import OrderError
from masterbus.orders.models import EngineerProfile, Package, Sample, Service
from masterbus.rights.audit import audited_approve
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner

APPROVE_ACTION = "engineer_approve"
MAX_PACKAGES = 12
MAX_SAMPLES = 12


def engineer_apply(
    *,
    user,
    display_name: str,
    bio: str = "",
    services: list[str],
    genres: str = "",
    credits: str = "",
) -> EngineerProfile:
    """Apply (or update the application / the profile). Applying grants nothing: the profile
    stays unlisted until staff approve it."""
    services = [s for s in dict.fromkeys(services) if s in Service.values]
    if not display_name.strip():
        raise OrderError("Give the name clients will see.")
    if not services:
        raise OrderError("Choose at least one service you offer.")
    profile, _created = EngineerProfile.objects.update_or_create(
        user=user,
        defaults={
            "display_name": display_name.strip()[:80],
            "bio": bio.strip()[:4000],
            "services": services,
            "genres": genres.strip()[:300],
            "credits": credits.strip()[:4000],
        },
    )
    return profile


def engineer_approve(*, profile: EngineerProfile, staff_user) -> bool:
    """Grant the engineer role; the audit log records who did it (P20). False if it already was."""
    return audited_approve(obj=profile, staff_user=staff_user, action_name=APPROVE_ACTION)


def package_create(*, profile: EngineerProfile, **fields) -> Package:
    if profile.packages.count() >= MAX_PACKAGES:
        raise OrderError(f"An engineer offers at most {MAX_PACKAGES} packages.")
    if fields.get("rush_price") and not fields.get("rush_days"):
        raise OrderError("Say how many days a rush delivery takes.")
    if fields.get("rush_days") and fields["rush_days"] >= fields["turnaround_days"]:
        raise OrderError("Rush delivery must be faster than the normal turnaround.")
    return Package.objects.create(engineer=profile, **fields)


def package_deactivate(*, package: Package) -> None:
    """Stop selling a package; orders already made keep their copy of its terms."""
    Package.objects.filter(pk=package.pk).update(active=False)


def sample_add(*, profile: EngineerProfile, title: str, before_id, after_id) -> Sample:
    """A before/after pair from two of the engineer's finished uploads."""
    if profile.samples.count() >= MAX_SAMPLES:
        raise OrderError(f"An engineer shows at most {MAX_SAMPLES} samples.")
    owner = Owner(user=profile.user, guest_key=None)
    before = upload_get_for_owner(owner, before_id)
    after = upload_get_for_owner(owner, after_id)
    for upload in (before, after):
        upload_check_usable(upload)
    sample = Sample(engineer=profile, title=title.strip()[:120] or before.filename)
    folder = f"engineers/{profile.pk}/samples"
    sample.before = storage.store(
        f"{folder}/{before.pk.hex}-before.{stored_extension(before)}", upload_file_path(before)
    )
    sample.after = storage.store(
        f"{folder}/{after.pk.hex}-after.{stored_extension(after)}", upload_file_path(after)
    )
    with transaction.atomic():
        sample.save()
        uploads_delete([before, after])
    return sample


def sample_delete(*, sample: Sample) -> None:
    names = [sample.before, sample.after]
    sample.delete()
    transaction.on_commit(lambda: storage.delete(names))
