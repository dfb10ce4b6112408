"""Downloads only for holders of an active licence, each recorded (keyed address hash, never
the IP) and purged after the retention window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masterbus.shop.models import DownloadEvent
from masterbus.shop.services.downloads import download_events_purge
from masterbus.shop.services.licences import licence_revoke

pytestmark = pytest.mark.django_db


def test_only_a_licence_holder_downloads_and_each_download_is_recorded(
    client, licence, buyer, alice
):
    file = licence.product.versions.get().files.get(platform="windows")
    url = reverse("shop:download", args=[file.pk])
    assert client.get(url).status_code == 302  # signed out: to sign-in
    client.force_login(alice)
    assert client.get(url).status_code == 404
    client.force_login(buyer)
    page = client.get(reverse("shop:product", args=[licence.product.slug])).content.decode()
    assert url in page
    answer = client.get(url, REMOTE_ADDR="192.0.2.44")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"plugin-bytes")
    assert "glue.zip" in answer["Content-Disposition"]
    (event,) = DownloadEvent.objects.all()
    assert (event.user, event.version, event.platform) == (buyer, file.version, "windows")
    assert event.ip_hash and "192.0.2" not in event.ip_hash
    licence_revoke(licence=licence, reason="refunded")
    assert client.get(url).status_code == 404


def test_download_events_are_purged_after_the_retention_window(licence, buyer, settings):
    settings.SHOP_DOWNLOAD_RETENTION_DAYS = 90
    version = licence.product.versions.get()
    old = DownloadEvent.objects.create(user=buyer, version=version, platform="linux")
    new = DownloadEvent.objects.create(user=buyer, version=version, platform="linux")
    DownloadEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert download_events_purge() == 1
    assert list(DownloadEvent.objects.all()) == [new]
