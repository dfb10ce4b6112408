"""Activations by the licence key: a limit per licence, self-service release, revocation, and
the abuse limits that flag for staff review (never a silent block); the API never answers 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masterbus.rights.models import AuditEvent
from masterbus.shop.models import Activation, LicenceStatus
from masterbus.shop.services import activations, licences
from tests.shop.world import staff_user

pytestmark = pytest.mark.django_db
ACTIVATE = "/api/v1/shop/activations"
RELEASE = "/api/v1/shop/activations/release"


def machine(n: int) -> str:
    return f"{n:032x}"


def post(client, url, body, ip="203.0.113.7"):
    return client.post(url, body, content_type="application/json", REMOTE_ADDR=ip)


def test_the_limit_counts_live_machines_and_release_frees_a_place(client, licence, settings):
    settings.SHOP_ACTIVATIONS_PER_LICENCE = 2
    for n in (1, 2):
        answer = post(client, ACTIVATE, {"key": licence.key, "machine": machine(n), "label": "Mac"})
        assert answer.status_code == 201, answer.content
    assert post(client, ACTIVATE, {"key": licence.key, "machine": machine(1)}).status_code == 201
    third = post(client, ACTIVATE, {"key": licence.key, "machine": machine(3)})
    assert (third.status_code, third.json()["code"]) == (409, "activation_limit")
    assert post(client, RELEASE, {"key": licence.key, "machine": machine(2)}).status_code == 204
    assert (
        post(client, ACTIVATE, {"key": licence.key, "machine": machine(3)}).json()["machines"] == 2
    )
    live = Activation.objects.filter(licence=licence, deactivated_at__isnull=True)
    assert sorted(a.machine_hash for a in live) == [machine(1), machine(3)]
    assert all(a.ip_hash and "203.0.113.7" not in a.ip_hash for a in live)


def test_a_revoked_or_forged_key_activates_nothing(client, licence):
    prefix, body, signature = licence.key.split(".")
    forged = post(client, ACTIVATE, {"key": f"{prefix}.{body}x.{signature}", "machine": machine(1)})
    assert (forged.status_code, forged.json()["code"]) == (403, "licence_invalid")
    licences.licence_revoke(licence=licence, reason="refunded")
    revoked = post(client, ACTIVATE, {"key": licence.key, "machine": machine(1)})
    assert revoked.status_code == 403 and "not active" in revoked.json()["message"]
    assert not Activation.objects.exists()


def test_the_owner_deactivates_a_machine_on_the_licence_page_and_nobody_else_can(
    client, licence, buyer, alice
):
    one = activations.activation_create(key=licence.key, machine=machine(1), label="Studio")
    url = reverse("shop:activation_deactivate", args=[licence.pk, one.pk])
    client.force_login(alice)
    assert client.post(url).status_code == 404
    client.force_login(buyer)
    page = client.get(reverse("shop:licence", args=[licence.pk])).content.decode()
    assert "Machines (1 of 3)" in page and "Studio" in page
    assert client.post(url).status_code == 302
    one.refresh_from_db()
    assert one.deactivated_at is not None


def test_too_many_changes_flag_the_licence_for_review_and_it_keeps_working(
    client, licence, settings
):
    settings.SHOP_ABUSE_MAX_CHANGES = 4
    for n in range(2):  # 4 changes: within the limit
        activations.activation_create(key=licence.key, machine=machine(n))
        activations.activation_deactivate_by_key(key=licence.key, machine=machine(n))
    licence.refresh_from_db()
    assert licence.flagged_at is None
    activations.activation_create(key=licence.key, machine=machine(5))
    licence.refresh_from_db()
    assert licence.flag_reason == "5 activation changes in 24 hours"
    assert post(client, ACTIVATE, {"key": licence.key, "machine": machine(9)}).status_code == 201


def test_many_addresses_flag_and_staff_clear_or_revoke_audited(client, licence, settings):
    settings.SHOP_ABUSE_MAX_ADDRESSES = 2
    for n in range(3):
        post(client, ACTIVATE, {"key": licence.key, "machine": machine(n)}, ip=f"198.51.{n}.1")
    licence.refresh_from_db()
    assert "3 addresses" in licence.flag_reason
    staff = staff_user()
    client.force_login(staff)
    review = client.get(reverse("shop:review")).content.decode()
    assert "3 addresses" in review
    client.post(reverse("shop:licence_clear", args=[licence.pk]))
    licence.refresh_from_db()
    assert licence.flagged_at is None and licence.status == LicenceStatus.ACTIVE
    client.post(reverse("shop:licence_revoke", args=[licence.pk]), {"reason": "key shared"})
    licence.refresh_from_db()
    assert (licence.status, licence.revoke_reason) == (LicenceStatus.REVOKED, "key shared")
    done = set(AuditEvent.objects.filter(actor=staff).values_list("action_name", flat=True))
    assert {"licence_flag_clear", "licence_revoke"} <= done


def test_activation_is_rate_limited_per_licence(client, licence, settings):
    settings.SHOP_LICENCE_RATE = "3/h"
    answers = [
        post(client, ACTIVATE, {"key": licence.key, "machine": machine(1)}).status_code
        for _ in range(4)
    ]
    assert answers == [201, 201, 201, 429]


def test_verify_says_active_invalid_and_bad_input_is_a_4xx(client, licence):
    ok = post(client, "/api/v1/shop/verify", {"key": licence.key}).json()
    assert ok["valid"] and ok["status"] == "active" and ok["licence_id"] == str(licence.pk)
    assert post(client, "/api/v1/shop/verify", {"key": "nonsense"}).json()["status"] == "invalid"
    for body in (
        {"key": licence.key, "machine": "\x00" * 20},
        {"key": licence.key, "machine": "zz"},
        {"key": "x" * 2000, "machine": machine(1)},
        {"key": licence.key, "machine": machine(1), "label": "\x00é" * 10},
    ):
        assert post(client, ACTIVATE, body).status_code in (201, 400, 403, 422), body
