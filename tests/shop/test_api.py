"""The shop's JSON API: products for everyone, a token owner's own licences only."""

from __future__ import annotations

import pytest

from masterbus.api.services import token_create

pytestmark = pytest.mark.django_db


def test_products_are_public_and_licences_are_the_token_owners(client, licence, buyer, alice):
    (item,) = client.get("/api/v1/shop/products").json()
    assert (item["slug"], item["price"], item["currency"]) == ("tape-glue", 4900, "eur")
    assert item["versions"][0]["platforms"] == ["linux", "windows"]
    assert client.get("/api/v1/shop/products/tape-glue").json()["seller"] == "Sam Plugins"
    for unknown in ("nothing", "tape-glue%00", "tape-glue%0A", "%F0%9F%8E%B8" * 30):
        assert client.get(f"/api/v1/shop/products/{unknown}").status_code == 404
    assert client.get("/api/v1/shop/licences").status_code == 401
    mine = token_create(user=buyer, name="plugin")[1]
    (own,) = client.get("/api/v1/shop/licences", HTTP_AUTHORIZATION=f"Bearer {mine}").json()
    assert own["key"] == licence.key and own["machine_limit"] == 3
    other = token_create(user=alice, name="x")[1]
    assert client.get("/api/v1/shop/licences", HTTP_AUTHORIZATION=f"Bearer {other}").json() == []
