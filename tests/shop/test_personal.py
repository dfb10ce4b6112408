"""Shop data in the export and the deletion (P30, P32): licences, machines, download events and
the seller profile are found generically; a deleted buyer's licence stays as the sale's record
(nameless, no longer usable) while their machines and downloads go; a deleted seller's products
stop selling and the buyers keep their licences and downloads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import is_secret, personal_rows
from masterbus.shop import selectors
from masterbus.shop.models import Activation, DownloadEvent, Licence, LicenceEvent, SellerProfile
from masterbus.shop.services import activations

pytestmark = pytest.mark.django_db


@pytest.fixture
def used(licence, buyer):
    activations.activation_create(key=licence.key, machine="ab" * 16, ip_hash="h")
    version = licence.product.versions.get()
    DownloadEvent.objects.create(user=buyer, version=version, platform="linux", ip_hash="h")
    return licence


def test_the_export_finds_the_buyers_and_the_sellers_shop_data(used, buyer, product):
    rows = personal_rows(buyer)
    assert rows[Licence] == [used]
    assert len(rows[Activation]) == len(rows[DownloadEvent]) == len(rows[LicenceEvent]) == 1
    assert is_secret(Licence, Licence._meta.get_field("key"))  # the key is not exported
    seller_rows = personal_rows(product.seller.user)
    assert seller_rows[SellerProfile] == [product.seller]


def test_deleting_the_buyer_keeps_the_sale_and_ends_the_licence(client, used, buyer):
    key = used.key
    user_purge(user=buyer)
    used.refresh_from_db()
    assert used.user is None and Licence.objects.count() == 1
    assert not Activation.objects.exists() and not DownloadEvent.objects.exists()
    answer = client.post("/api/v1/shop/verify", {"key": key}, content_type="application/json")
    assert answer.json()["status"] == "unknown" and not answer.json()["valid"]


def test_deleting_the_seller_unlists_the_product_and_buyers_keep_downloads(
    client, used, buyer, product
):
    user_purge(user=product.seller.user)
    assert not selectors.products_listed().exists()
    used.refresh_from_db()
    assert used.status == "active"
    client.force_login(buyer)
    file = used.product.versions.get().files.first()
    assert client.get(reverse("shop:download", args=[file.pk])).status_code == 200
