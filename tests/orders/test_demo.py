"""The orders demo loader: a living marketplace for a newcomer, loaded twice without doubles."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage

from masterbus.orders.demo import ORDER_TITLE, load
from masterbus.orders.models import EngineerProfile, Order, OrderStatus, Package, Sample
from masterbus.orders.selectors import engineers_listed

pytestmark = pytest.mark.django_db


def test_demo_engineers_packages_samples_and_an_order_in_progress():
    load(stdout=io.StringIO())
    load(stdout=io.StringIO())  # idempotent
    assert engineers_listed().count() == 2 == EngineerProfile.objects.count()
    assert Package.objects.count() == 3 and Sample.objects.count() == 2
    for sample in Sample.objects.all():
        assert default_storage.exists(sample.before) and default_storage.exists(sample.after)
    order = Order.objects.get(title=ORDER_TITLE)
    assert order.status == OrderStatus.IN_PROGRESS and order.files.count() == 2
    assert order.engineer_share + order.platform_fee == order.total
