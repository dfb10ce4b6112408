"""P15 (source files deleted after the order closes), P30 (the export holds a user's orders),
P32 (a deleted account leaves the order to the other side, anonymised)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from masterbus.orders.models import EventKind, Order, OrderStatus
from masterbus.orders.selectors import party_name
from masterbus.orders.services import workflow
from masterbus.orders.services.retention import order_sources_purge
from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import actor_rows, personal_rows
from tests.support.orders import deliver

pytestmark = pytest.mark.django_db


def completed(order: Order, stem_paths) -> Order:
    workflow.order_accept(order=order)
    deliver(order, stem_paths[:1])
    workflow.order_approve(order=order)
    order.refresh_from_db()
    return order


def test_sources_are_deleted_after_the_retention_window(
    paid_order, stem_paths, settings, django_capture_on_commit_callbacks
):
    settings.ORDERS_SOURCE_RETENTION_DAYS = 30
    order = completed(paid_order, stem_paths)
    names = [f.stored_name for f in order.files.all()]
    masters = [f.stored_name for d in order.deliveries.all() for f in d.files.all()]
    assert names and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        assert order_sources_purge(now=timezone.now() + timedelta(days=29)) == 0
    assert all(default_storage.exists(n) for n in names)
    later = order.closed_at + timedelta(days=30, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert order_sources_purge(now=later) == 1
        assert order_sources_purge(now=later) == 0  # idempotent
    assert not any(default_storage.exists(n) for n in names)  # really deleted, not hidden
    assert all(default_storage.exists(n) for n in masters)  # the delivered versions stay
    order.refresh_from_db()
    assert order.sources_deleted_at is not None
    assert set(order.files.values_list("stored_name", flat=True)) == {""}
    assert order.events.filter(kind=EventKind.SOURCES_DELETED).count() == 1


def test_an_open_order_keeps_its_sources(paid_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert order_sources_purge(now=timezone.now() + timedelta(days=3650)) == 0
    assert all(default_storage.exists(f.stored_name) for f in paid_order.files.all())


def test_the_export_holds_the_clients_orders_and_not_the_approvers(paid_order, engineer):
    rows = personal_rows(paid_order.client)
    assert paid_order.pk in {row.pk for row in rows.get(Order, [])}
    engineer_rows = personal_rows(engineer[0])
    assert paid_order.pk in {row.pk for row in engineer_rows.get(Order, [])}
    staff = engineer[1].engineer.approved_by
    staff_rows = personal_rows(staff)
    assert not any(m._meta.label_lower == "orders.engineerprofile" for m in staff_rows)
    assert "orders.engineerprofile" in actor_rows(staff)


def test_a_deleted_client_leaves_the_order_to_the_engineer(paid_order, stem_paths):
    order = completed(paid_order, stem_paths)
    client = order.client
    user_purge(user=client)
    kept = Order.objects.get(pk=order.pk)
    assert kept.client is None and kept.engineer is not None
    assert kept.status == OrderStatus.COMPLETED and kept.total == order.total
    assert party_name(kept, "client") == "deleted account"
    assert kept.deliveries.count() == 1


def test_a_deleted_engineer_leaves_the_order_to_the_client_and_takes_the_samples(
    paid_order, engineer, stem_paths, django_capture_on_commit_callbacks
):
    from masterbus.orders.models import EngineerProfile, Sample
    from masterbus.orders.services.engineers import sample_add
    from tests.support.orders import uploads_of

    profile = EngineerProfile.objects.get(user=engineer[0])
    before, after = uploads_of(engineer[0], stem_paths)
    sample = sample_add(profile=profile, title="A/B", before_id=before.pk, after_id=after.pk)
    files = [sample.before, sample.after]
    with django_capture_on_commit_callbacks(execute=True):
        user_purge(user=engineer[0])
    assert not Sample.objects.exists() and not EngineerProfile.objects.exists()
    assert not any(default_storage.exists(name) for name in files)
    kept = Order.objects.get(pk=paid_order.pk)
    assert kept.engineer is None and kept.client is not None and kept.package is None
    assert party_name(kept, "engineer") == "deleted account"
    assert all(default_storage.exists(f.stored_name) for f in kept.files.all())
