"""The orders API: public engineers and packages; orders with the same ownership as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from masterbus.api.services import token_create
from masterbus.orders.models import Order, OrderStatus
from tests.api.conftest import ApiClient
from tests.support.orders import approved_engineer, deliver, uploads_of

pytestmark = pytest.mark.django_db


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


def test_engineers_are_public(engineer):
    answer = Client().get("/api/v1/engineers")
    assert answer.status_code == 200
    [listed] = answer.json()
    assert listed["display_name"] == "Erin Audio"
    assert listed["packages"][0]["price"] == 10_000 and listed["packages"][0]["currency"] == "eur"
    assert Client().get(f"/api/v1/engineers/{listed['id']}").status_code == 200
    assert Client().get("/api/v1/engineers/999999").status_code == 404


def test_order_through_the_api(payments_server, engineer, client_user, stem_paths):
    client_api = api_for(client_user)
    uploads = uploads_of(client_user, stem_paths)
    created = client_api.post(
        "/api/v1/orders",
        {"package_id": engineer[1].pk, "upload_ids": [str(u.pk) for u in uploads], "notes": "hi"},
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert (order["role"], order["status"], order["total"]) == (
        "client",
        "awaiting_payment",
        10_000,
    )
    assert (order["engineer_share"], order["platform_fee"]) == (8_000, 2_000)
    pay = client_api.post(
        f"/api/v1/orders/{order['id']}/pay",
        {"success_url": "https://example.com/ok", "cancel_url": "https://example.com/no"},
    )
    assert pay.status_code == 200 and pay.json()["url"].startswith(payments_server.url)
    engineer_api = api_for(engineer[0])
    seen = engineer_api.get(f"/api/v1/orders/{order['id']}")
    assert seen.status_code == 200 and seen.json()["role"] == "engineer"
    assert seen.json()["thread_id"] == order["thread_id"]
    assert engineer_api.post(f"/api/v1/orders/{order['id']}/accept").status_code == 409  # unpaid
    assert client_api.post(f"/api/v1/orders/{order['id']}/accept").status_code == 404
    assert engineer_api.post(f"/api/v1/orders/{order['id']}/approve", {}).status_code == 404
    other, _ = approved_engineer("other@example.com", "Other")
    other_api = api_for(other)
    assert other_api.get(f"/api/v1/orders/{order['id']}").status_code == 404
    assert other_api.get("/api/v1/orders").json()["count"] == 0
    assert client_api.get("/api/v1/orders").json()["count"] == 1


def test_notes_and_approval_through_the_api(paid_order, engineer, client_user, stem_paths):
    from masterbus.orders.services import workflow

    workflow.order_accept(order=paid_order)
    deliver(Order.objects.get(pk=paid_order.pk), stem_paths[:1])
    client_api = api_for(client_user)
    url = f"/api/v1/orders/{paid_order.pk}"
    note = client_api.post(f"{url}/notes", {"at_seconds": 1.25, "text": "kick too soft"})
    assert note.status_code == 201
    assert client_api.post(f"{url}/notes", {"at_seconds": 999, "text": "x"}).status_code == 400
    versions = client_api.get(f"{url}/deliveries").json()
    assert versions[0]["notes"] == [note.json()] and versions[0]["files"][0]["file_url"] == ""
    approved = client_api.post(f"{url}/approve", {"rating": 4})
    assert approved.status_code == 200 and approved.json()["status"] == OrderStatus.COMPLETED
    assert client_api.post(f"{url}/approve", {}).status_code == 409  # once
    assert client_api.get(f"{url}/deliveries").json()[0]["files"][0]["file_url"]
