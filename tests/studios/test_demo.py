"""The demo loader: a listed Berlin studio with two rooms and a waiting request; idempotent."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from masterbus.studios import demo, selectors
from masterbus.studios.models import Booking, BookingStatus, Studio

pytestmark = pytest.mark.django_db


def test_the_demo_studio_loads_once():
    assert "masterbus.studios.demo.load" in settings.DEMO_LOADERS
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    (studio,) = Studio.objects.all()
    assert studio.time_zone == "Europe/Berlin" and studio in selectors.studios_listed()
    assert studio.rooms.count() == 2
    (booking,) = Booking.objects.all()
    assert booking.status == BookingStatus.REQUESTED and booking.client.email.startswith(
        "listener@"
    )
    assert "2 rooms" in out.getvalue()
