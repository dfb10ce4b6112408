"""The order's life through the services: placing, paying (the purpose handler), the moves of
the state machine, revisions within the rounds, approval releasing the share once, automatic
approval, and the notifications each move sends."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from masterbus.core import storage
from masterbus.messaging.models import Notification
from masterbus.orders.errors import OrderError, WrongState
from masterbus.orders.models import EventKind, Order, OrderStatus
from masterbus.orders.previews import delivery_prepare
from masterbus.orders.services import deliveries, ordering, workflow
from masterbus.orders.services.pricing import quote
from masterbus.payments.models import Earning, EarningStatus
from tests.platform.fixtures import make_user
from tests.support.orders import deliver as support_deliver
from tests.support.orders import pay, place, uploads_of

pytestmark = pytest.mark.django_db


def deliver(order: Order, paths) -> None:
    support_deliver(order, paths[:1])


def test_placing_takes_the_stems_and_quotes_the_split(engineer, client_user, stem_paths):
    order = place(client_user, engineer[1], stem_paths, extra_revisions=1, rush=True)
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.total == 10_000 + 2_500 + 3_000
    assert (order.engineer_share, order.platform_fee) == (12_400, 3_100)  # 20 %, half up
    assert order.engineer_share + order.platform_fee == order.total
    assert order.revisions_included == 2 and order.turnaround_days == 2
    stems = list(order.files.all())
    assert [f.filename for f in stems] == ["stem21.wav", "stem22.wav"]
    for f in stems:
        with storage.local_copy(f.stored_name) as path:
            assert path.read_bytes()[:4] == b"RIFF"
    assert [e.kind for e in order.events.all()] == [EventKind.CREATED]


def test_fee_rounds_half_up_and_the_share_takes_the_rest(engineer):
    package = engineer[1]
    package.price = 10_003  # 20 % = 2000.6 -> 2001
    assert (quote(package=package).engineer_share, quote(package=package).platform_fee) == (
        8_002,
        2_001,
    )


def test_bounds_and_other_peoples_uploads_are_refused(engineer, client_user, stem_paths, settings):
    settings.ORDERS_MAX_STEMS = 1
    with pytest.raises(OrderError, match="at most 1"):
        place(client_user, engineer[1], stem_paths)
    settings.ORDERS_MAX_STEMS = 48
    settings.ORDERS_MAX_TOTAL_BYTES = sum(p.stat().st_size for p in stem_paths) - 1
    with pytest.raises(OrderError, match="add up to"):
        place(client_user, engineer[1], stem_paths)
    settings.ORDERS_MAX_TOTAL_BYTES = 4 * 1000**3
    stranger_upload = uploads_of(make_user("mallory@example.com"), stem_paths[:1])[0]
    with pytest.raises(Exception, match="no such upload"):
        ordering.order_create(
            client=client_user, package=engineer[1], upload_ids=[stranger_upload.pk]
        )
    with pytest.raises(OrderError, match="yourself"):
        place(engineer[0], engineer[1], stem_paths[:1])
    assert not Order.objects.exists()


def test_payment_moves_the_order_once_and_tells_both(paid_order, engineer):
    assert paid_order.status == OrderStatus.PAID
    assert paid_order.due_at is not None
    kinds = {(n.user.email, n.kind) for n in Notification.objects.all()}
    assert ("erin@example.com", "order") in kinds and ("carl@example.com", "order") in kinds
    from masterbus.orders.services.purpose import OrderPurpose
    from masterbus.payments.selectors import payment_for

    OrderPurpose().on_paid(payment_for(purpose="order", purpose_id=str(paid_order.pk)))
    assert paid_order.events.filter(kind=EventKind.PAID).count() == 1  # a replay moves nothing


def test_full_flow_with_a_revision_and_approval(
    paid_order, stem_paths, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _flow(paid_order, stem_paths)
    order = Order.objects.get(pk=paid_order.pk)
    assert order.status == OrderStatus.COMPLETED and order.closed_at is not None
    earning = Earning.objects.get(payment__purpose_id=str(order.pk))
    assert earning.status == EarningStatus.RELEASED and earning.amount == order.engineer_share
    subjects = [m.subject for m in mail.outbox]
    assert any("accepted" in s for s in subjects)
    assert any("new version is ready" in s for s in subjects)
    assert any("Revision requested" in s for s in subjects)
    assert any(s.startswith("Approved") for s in subjects)
    assert all(m.body.count(str(order.pk)) == 1 for m in mail.outbox if order.title in m.subject)
    timeline = list(order.events.values_list("kind", flat=True))
    assert timeline == [
        "created",
        "paid",
        "accepted",
        "delivered",
        "revision_requested",
        "delivered",
        "approved",
        "completed",
    ]


def _flow(paid_order: Order, stem_paths) -> None:
    order = workflow.order_accept(order=paid_order)
    with pytest.raises(WrongState):
        workflow.order_accept(order=order)
    deliver(order, stem_paths)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    v1 = order.deliveries.get()
    delivery_prepare(delivery_id=v1.pk)
    preview = v1.files.get()
    assert preview.preview.endswith(".mp3") and preview.waveform["peaks"]
    with storage.local_copy(preview.preview) as path:
        head = path.read_bytes()[:3]
    assert head == b"ID3" or head[:1] == b"\xff"  # an MP3: ID3 tag or a frame sync
    deliveries.note_add(order=order, delivery=v1, at_seconds=0.4, text="vocal too loud")
    deliveries.note_add(order=order, delivery=v1, at_seconds=2.1, text="more air")
    assert [n.at_seconds for n in v1.notes.all()] == [0.4, 2.1]
    with pytest.raises(OrderError, match="outside"):
        deliveries.note_add(order=order, delivery=v1, at_seconds=600, text="late")
    workflow.revision_request(order=order, text="see the notes")
    assert (order.status, order.revisions_used) == (OrderStatus.REVISION_REQUESTED, 1)
    deliver(order, stem_paths)
    order.refresh_from_db()
    with pytest.raises(OrderError, match="rounds"):
        workflow.revision_request(order=order)  # the package has one round
    workflow.order_approve(order=order, rating=5)


def test_auto_approval_after_the_window_is_idempotent(paid_order, stem_paths, settings):
    settings.ORDERS_AUTO_APPROVE_DAYS = 7
    workflow.order_accept(order=paid_order)
    deliver(paid_order, stem_paths)
    assert workflow.order_auto_approve_due() == 0
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert workflow.order_auto_approve_due(now=later) == 1
    assert workflow.order_auto_approve_due(now=later) == 0
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.COMPLETED
    assert paid_order.events.filter(kind=EventKind.AUTO_APPROVED).count() == 1


def test_a_disputed_order_is_not_approved_automatically(paid_order, stem_paths):
    workflow.order_accept(order=paid_order)
    deliver(paid_order, stem_paths)
    workflow.order_dispute(order=paid_order, text="wrong song")
    assert workflow.order_auto_approve_due(now=timezone.now() + timedelta(days=60)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_release_the_share_once(engineer, client_user, stem_paths):
    order = place(client_user, engineer[1], stem_paths)
    pay(order)
    workflow.order_accept(order=order)
    deliver(order, stem_paths)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        try:
            mine = Order.objects.get(pk=order.pk)
            barrier.wait()
            workflow.order_approve(order=mine)
            outcomes.append("approved")
        except WrongState:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["approved", "refused"]
    earning = Earning.objects.get(payment__purpose_id=str(order.pk))
    assert earning.status == EarningStatus.RELEASED
    order.refresh_from_db()
    assert order.events.filter(kind=EventKind.APPROVED).count() == 1


def test_a_stem_that_is_not_audio_is_refused_with_its_reason(engineer, client_user, stem_paths):
    from masterbus.accounts.owner import Owner
    from masterbus.mastering.errors import MasteringError
    from tests.platform.fixtures import make_upload

    bad = make_upload(
        Owner(user=client_user, guest_key=None), b"lyrics, not audio\n" * 200, "x.wav"
    )
    good = uploads_of(client_user, stem_paths[:1])[0]
    with pytest.raises(MasteringError, match="cannot be used"):
        ordering.order_create(client=client_user, package=engineer[1], upload_ids=[good.pk, bad.pk])
    assert not Order.objects.exists()


def test_the_engineers_queue_puts_the_soonest_due_first(engineer, client_user, stem_paths):
    from masterbus.orders.selectors import engineer_queue

    later, sooner = (place(client_user, engineer[1], stem_paths[:1]) for _ in range(2))
    for order in (later, sooner):
        pay(order)
    Order.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(days=9))
    Order.objects.filter(pk=sooner.pk).update(due_at=timezone.now() + timedelta(days=2))
    assert [o.pk for o in engineer_queue(engineer[0])] == [sooner.pk, later.pk]


def test_unpaid_orders_are_bounded_and_expire_with_their_files(
    engineer, client_user, stem_paths, settings, django_capture_on_commit_callbacks
):
    from masterbus.orders.services.retention import order_sources_purge

    settings.ORDERS_MAX_UNPAID, settings.ORDERS_UNPAID_DAYS = 1, 2
    order = place(client_user, engineer[1], stem_paths[:1])
    with pytest.raises(OrderError, match="waiting for payment"):
        place(client_user, engineer[1], stem_paths[:1])
    names = [f.stored_name for f in order.files.all()]
    assert workflow.order_unpaid_expire(now=timezone.now() + timedelta(days=1)) == 0
    assert workflow.order_unpaid_expire(now=timezone.now() + timedelta(days=2, minutes=1)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        assert order_sources_purge() == 1  # never paid: nothing to keep
    assert not any(default_storage.exists(n) for n in names)
    place(client_user, engineer[1], stem_paths[:1])  # room for a new one


def test_previews_that_never_reached_the_queue_are_queued_by_the_sweep(
    paid_order, stem_paths, django_capture_on_commit_callbacks, monkeypatch
):
    from types import SimpleNamespace

    from masterbus.orders.models import Delivery
    from masterbus.orders.services import deliveries as module

    queued: list[dict] = []

    def queue_down(**kwargs):
        raise ConnectionError("the queue is down")

    workflow.order_accept(order=paid_order)
    monkeypatch.setattr(module, "prepare_delivery", SimpleNamespace(enqueue=queue_down))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(paid_order, stem_paths)
    version = Delivery.objects.get()
    assert version.queued_at is None
    monkeypatch.setattr(
        module, "prepare_delivery", SimpleNamespace(enqueue=lambda **kw: queued.append(kw))
    )
    assert module.delivery_previews_sweep() == 0  # within the grace period
    assert module.delivery_previews_sweep(now=timezone.now() + timedelta(minutes=2)) == 1
    assert queued == [{"delivery_id": version.pk}]
    version.refresh_from_db()
    assert version.queued_at is not None
    assert module.delivery_previews_sweep(now=timezone.now() + timedelta(minutes=5)) == 0
