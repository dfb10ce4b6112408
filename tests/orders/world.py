"""The URL walk's orders objects (tests/support/urlwalk.py).

Alice is both sides of an order, each time with someone outside the walk, so every walked party
other than her is a stranger to both orders: she is the client of an order delivered by Erin
(with a pinned note), and the engineer of an order Carl placed. Bob is another approved engineer
(his package is public; his orders are none of alice's business). Her sample and package are
the engineer's objects of the studio pages.
"""

from __future__ import annotations

from pathlib import Path

from masterbus.accounts.owner import Owner
from masterbus.core import links
from masterbus.orders.previews import delivery_prepare
from masterbus.orders.services import deliveries, engineers, workflow
from masterbus.orders.services.engineers import sample_add
from tests.platform.fixtures import make_upload, make_user
from tests.support.orders import approved_engineer, deliver, pay, place


def orders_objects(alice, bob, song: Path) -> dict:
    _erin, erin_package = approved_engineer(f"erin-{alice.pk}@example.com", "Erin Audio")
    alice_engineer, alice_package = _engineer_role(alice)
    _engineer_role(bob)  # another engineer, with a package of his own
    as_client = place(alice, erin_package, [song])
    pay(as_client)
    workflow.order_accept(order=as_client)
    version = deliver(as_client, [song])
    delivery_prepare(delivery_id=version.pk)  # the worker's part: the player and the waveform
    note = deliveries.note_add(order=as_client, delivery=version, at_seconds=1.0, text="snare")
    carl = make_user(f"carl-{alice.pk}@example.com")
    as_engineer = place(carl, alice_package, [song])
    pay(as_engineer)
    owner = Owner(user=alice, guest_key=None)
    before, after = (make_upload(owner, song.read_bytes(), f"{s}.wav") for s in ("b", "a"))
    sample = sample_add(
        profile=alice_engineer, title="Sample", before_id=before.pk, after_id=after.pk
    )
    return {
        "order": as_client,
        "engineer_order": as_engineer,
        "engineer_profile": alice_engineer,
        "package": alice_package,
        "sample": sample,
        "revision_note": note,
        "order_file_token": links.sign(
            {"k": "source", "id": str(as_client.files.first().pk), "u": str(alice.pk)}
        ),
    }


def _engineer_role(user):
    staff = make_user(f"orders-staff-{user.pk}@example.com")
    profile = engineers.engineer_apply(
        user=user, display_name="Studio A", services=["mastering"], genres="rock"
    )
    engineers.engineer_approve(profile=profile, staff_user=staff)
    package = engineers.package_create(
        profile=profile,
        name="Master",
        service="mastering",
        price=5000,
        currency="eur",
        turnaround_days=3,
        revisions_included=2,
    )
    return profile, package


# Views of the engineer's side, filled with the order alice received (the rest: one she placed).
ENGINEER_VIEWS = (
    "orders:order_accept",
    "orders:order_decline",
    "orders:order_start",
    "orders:delivery_add",
    "api:order_accept",
    "api:order_decline",
)
