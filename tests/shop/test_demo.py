"""The demo loader: a listed plugin in two versions with a file per OS, a buyer's licence on one
machine; loading twice makes nothing new."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from masterbus.shop import demo, selectors
from masterbus.shop.models import Activation, Licence, VersionFile

pytestmark = pytest.mark.django_db


def test_the_demo_shop_loads_once():
    assert "masterbus.shop.demo.load" in settings.DEMO_LOADERS
    out = io.StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    (product,) = selectors.products_listed()
    assert [v.version for v in product.versions.all()] == ["1.1.0", "1.0.0"]
    assert VersionFile.objects.count() == 6
    (licence,) = Licence.objects.all()
    assert licence.status == "active" and licence.user.email.startswith("listener@")
    assert Activation.objects.filter(licence=licence, deactivated_at__isnull=True).count() == 1
    assert "holds a licence" in out.getvalue()
