"""Selling: apply, staff approve (audited), a product priced as typed ("49.00" -> 4900 minor
units), versions with files per OS within the size bound; nothing sells before approval."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masterbus.rights.models import AuditEvent
from masterbus.shop.models import Product, SellerProfile
from tests.shop.world import staff_user

pytestmark = pytest.mark.django_db


def test_a_seller_applies_is_approved_and_lists_a_product_with_files(client, alice, settings):
    client.force_login(alice)
    client.post(reverse("shop:seller_apply"), {"display_name": "Alice DSP", "about": "Plugins."})
    profile = SellerProfile.objects.get(user=alice)
    assert not profile.is_approved
    assert client.get(reverse("shop:product_new")).status_code == 302  # not yet
    staff = staff_user()
    client.force_login(staff)
    assert "Alice DSP" in client.get(reverse("shop:review")).content.decode()
    client.post(reverse("shop:seller_approve", args=[profile.pk]))
    profile.refresh_from_db()
    assert profile.approved_by == staff
    assert AuditEvent.objects.filter(actor=staff, action_name="seller_approve").count() == 1
    client.force_login(alice)
    form = {"name": "Tape Glue", "description": "Glue.", "price": "49.00"}
    answer = client.post(reverse("shop:product_new"), form)
    product = Product.objects.get(seller=profile)
    assert (product.price, product.slug) == (4900, "tape-glue")
    assert answer["Location"] == reverse("shop:version_new", args=["tape-glue"])
    settings.SHOP_MAX_FILE_BYTES = 100
    big = {"version": "1.0.0", "windows": SimpleUploadedFile("a.zip", b"x" * 101)}
    refused = client.post(reverse("shop:version_new", args=["tape-glue"]), big)
    assert refused.status_code == 400 and not product.versions.exists()
    ok = {
        "version": "1.0.0",
        "changelog": "First.",
        "windows": SimpleUploadedFile("a.zip", b"x" * 50),
        "macos": SimpleUploadedFile("../../etc/passwd", b"y" * 50),
    }
    client.post(reverse("shop:version_new", args=["tape-glue"]), ok)
    files = {f.platform: f for f in product.versions.get().files.all()}
    assert set(files) == {"windows", "macos"}
    assert files["macos"].filename == "passwd" and ".." not in files["macos"].stored_name
    dup = {"version": "1.0.0", "linux": SimpleUploadedFile("b.tgz", b"z" * 50)}
    again = client.post(reverse("shop:version_new", args=["tape-glue"]), dup)
    assert "exists already" in again.content.decode()
    public = client.get(reverse("shop:products")).content.decode()
    assert "Tape Glue" in public and "€49.00" in public


def test_another_seller_cannot_add_versions_to_my_product(client, product, bob):
    client.force_login(bob)
    url = reverse("shop:version_new", args=[product.slug])
    assert client.get(url).status_code == 404
