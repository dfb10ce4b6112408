"""Demo orders (``masterbus demo``; idempotent): two approved engineers with packages and a
before/after sample each (the "after" mastered by the engine), and an order the demo listener
placed with two stems, paid, accepted and in progress, so a newcomer sees both sides.

The demo order is paid the way the payments webhook pays one (the paid payment, its split, the
pending earning, then the purpose handler), without a card on the local test server: the demo
runs before any server is up.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from masterbus.accounts.owner import Owner
from masterbus.demo.audio import clip_wav
from masterbus.demo.users import demo_user
from masterbus.engine import master_file
from masterbus.orders.models import EngineerProfile, Order, Service
from masterbus.orders.services import engineers, ordering, workflow
from masterbus.payments.offline import payment_paid_offline
from masterbus.rights.roles import ADMIN
from masterbus.uploads.services import upload_append, upload_create

ENGINEERS = (
    (
        "engineer-mara",
        "Mara Klein",
        [Service.MASTERING, Service.STEM_MASTERING],
        "Techno, house, ambient",
        "Mastering engineer in Berlin. Loud when it should be, open when it can be.",
        [
            ("Single master", Service.MASTERING, 4_900, 3, 2),
            ("Stem master", Service.STEM_MASTERING, 12_900, 5, 2),
        ],
    ),
    (
        "engineer-joe",
        "Joe Okafor",
        [Service.MIXING, Service.PRODUCTION],
        "Hip-hop, R&B, afrobeats",
        "Mixing from stems, vocals first. Credits on request.",
        [("Mix and master", Service.MIXING, 24_900, 7, 3)],
    ),
)
ORDER_TITLE = "Night Drive (demo order)"


def _upload(owner: Owner, data: bytes, filename: str):
    upload = upload_create(owner=owner, length=len(data), metadata={"filename": filename})
    return upload_append(upload=upload, offset=0, stream=io.BytesIO(data), content_length=len(data))


def _mastered(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "in.wav", Path(folder) / "out.wav"
        source.write_bytes(data)
        master_file(source, {"wav24": out})
        return out.read_bytes()


def load(*, stdout) -> None:
    staff = demo_user("admin", display_name="Demo Admin", stdout=stdout, staff_role=ADMIN)
    first_package = None
    for seed, (name, display, services, genres, bio, packages) in enumerate(ENGINEERS, 10):
        user = demo_user(name, display_name=display, stdout=stdout)
        if EngineerProfile.objects.filter(user=user, approved_at__isnull=False).exists():
            profile = user.engineer_profile
        else:
            profile = engineers.engineer_apply(
                user=user, display_name=display, services=services, genres=genres, bio=bio
            )
            engineers.engineer_approve(profile=profile, staff_user=staff)
            for title, service, price, days, rounds in packages:
                engineers.package_create(
                    profile=profile,
                    name=title,
                    service=service,
                    price=price,
                    currency="eur",
                    turnaround_days=days,
                    revisions_included=rounds,
                    extra_revision_price=1_500,
                )
            owner = Owner(user=user, guest_key=None)
            before = clip_wav(seconds=8.0, seed=seed)
            engineers.sample_add(
                profile=profile,
                title="Before and after",
                before_id=_upload(owner, before, "before.wav").pk,
                after_id=_upload(owner, _mastered(before), "after.wav").pk,
            )
            stdout.write(f"  engineer {display} with {len(packages)} package(s) and a sample")
        first_package = first_package or profile.packages.order_by("price").first()
    listener = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    if not Order.objects.filter(client=listener, title=ORDER_TITLE).exists():
        owner = Owner(user=listener, guest_key=None)
        stems = [_upload(owner, clip_wav(seconds=6.0, seed=s), f"stem-{s}.wav") for s in (31, 32)]
        order = ordering.order_create(
            client=listener,
            package=first_package,
            upload_ids=[u.pk for u in stems],
            title=ORDER_TITLE,
            notes="Warm low end, keep the hats crisp. Reference: anything by Moderat.",
        )
        _pay(order)
        workflow.order_accept(order=order)
        workflow.order_start(order=order)
        stdout.write(f"  order {ORDER_TITLE!r} for {listener.email}, in progress")


def _pay(order: Order) -> None:
    payment_paid_offline(
        payer=order.client,
        payee=order.engineer,
        purpose="order",
        purpose_id=str(order.pk),
        currency=order.currency,
        amount=order.total,
        fee_rule="orders",
        card_brand="visa",
        card_last4="4242",
    )
