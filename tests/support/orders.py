"""Orders for tests: approved engineers with a package, orders placed with real uploads, paid
the way the payments webhook pays them, and delivered versions (tests/orders, the URL walk).

``pay`` writes what ``payments.services.sync._mark_paid`` writes for a paid checkout (the paid
payment with its split by the rule in force, the pending earning) and calls the purpose handler
in the same transaction, as the webhook does.
"""

from __future__ import annotations

from pathlib import Path

from masterbus.accounts.models import User
from masterbus.accounts.owner import Owner
from masterbus.orders.models import Delivery, Order, Package, Service
from masterbus.orders.services import deliveries, engineers, ordering
from masterbus.payments.models import Payment
from masterbus.payments.offline import payment_paid_offline
from tests.platform.fixtures import make_upload, make_user


def approved_engineer(email: str, name: str) -> tuple[User, Package]:
    """A new user, applied and approved as an engineer, with one package (EUR 100)."""
    user = make_user(email)
    profile = engineers.engineer_apply(
        user=user, display_name=name, services=[Service.MIXING, Service.MASTERING]
    )
    staff = User.objects.filter(is_staff=True).first() or User.objects.create_superuser(
        f"staff-{email}", "correct horse battery"
    )
    engineers.engineer_approve(profile=profile, staff_user=staff)
    package = engineers.package_create(
        profile=profile,
        name="Mix and master",
        service=Service.MIXING,
        price=10_000,
        currency="eur",
        turnaround_days=5,
        revisions_included=1,
        extra_revision_price=2_500,
        rush_price=3_000,
        rush_days=2,
    )
    return user, package


def uploads_of(user: User, paths: list[Path]) -> list:
    owner = Owner(user=user, guest_key=None)
    return [make_upload(owner, p.read_bytes(), p.name) for p in paths]


def place(client_user: User, package: Package, paths: list[Path], **extra) -> Order:
    uploads = uploads_of(client_user, paths)
    return ordering.order_create(
        client=client_user,
        package=package,
        upload_ids=[u.pk for u in uploads],
        notes="Vocals up front, keep the drums punchy.",
        **extra,
    )


def pay(order: Order) -> Payment:
    """What the payments webhook does for a paid checkout (payments.services.sync._mark_paid):
    the paid payment with its split by the rule in force, the pending earning, the handler."""
    payment = payment_paid_offline(
        payer=order.client,
        payee=order.engineer,
        purpose="order",
        purpose_id=str(order.pk),
        currency=order.currency,
        amount=order.total,
        fee_rule="orders",
    )
    order.refresh_from_db()
    return payment


def deliver(order: Order, paths: list[Path]) -> Delivery:
    uploads = uploads_of(order.engineer, paths)
    return deliveries.delivery_create(order=order, upload_ids=[u.pk for u in uploads], message="")
