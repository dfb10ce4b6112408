"""The privacy and cookie pages are generated from the registries and the live settings (P35)."""

from __future__ import annotations

import pytest

from masterbus.privacy.cookies import Category, storage_items
from masterbus.privacy.policy import POLICY_EFFECTIVE, POLICY_VERSION
from masterbus.privacy.promises import PROMISES, Status

pytestmark = pytest.mark.django_db


def test_policy_pages_show_version_date_and_live_settings(client, settings):
    settings.GUEST_RETENTION_DAYS = 5
    settings.UPLOAD_EXPIRY_SECONDS = 2 * 3600
    version = f"Version {POLICY_VERSION}, in effect from {POLICY_EFFECTIVE:%-d %B %Y}."
    privacy = client.get("/privacy/").content.decode()
    assert version in privacy
    assert "5 days, then the files are deleted" in privacy
    assert "2 hours, then the bytes are deleted" in privacy
    assert "or 7 days with “Remember me”" in privacy
    assert "this site sends your data to no other service" in privacy
    for promise in PROMISES:
        assert (f"<li>{promise.id}: " in privacy) == (promise.status is Status.KEPT)

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.example.org"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"endpoint_url": "https://s3.example.org"},
        },
    }
    html = client.get("/privacy/").content.decode()
    assert "Email delivery through smtp.example.org" in html
    assert "File storage at https://s3.example.org" in html

    cookies = client.get("/privacy/cookies/").content.decode()
    assert version in cookies
    for item in storage_items():
        assert f'<tr class="storage-item" data-name="{item.name}">' in cookies
    assert "5 days" in cookies  # the guest cookie follows the retention window
    for category in Category:
        assert f'id="category-{category}"' in cookies
    assert 'id="without-essential"' in cookies


def test_every_page_links_the_policies(client):
    html = client.get("/").content.decode()
    for link in ("/privacy/", "/privacy/cookies/", "/privacy/consent/", "/privacy/promises/"):
        assert f'href="{link}"' in html


def test_the_privacy_page_states_each_marketplace_and_learning_window(client, settings):
    settings.ORDERS_SOURCE_RETENTION_DAYS = 21
    settings.TRAINING_CLIP_RETENTION_DAYS = 3
    settings.SHOP_DOWNLOAD_RETENTION_DAYS = 60
    settings.ASSISTANT_RETENTION_DAYS = 45
    page = client.get("/privacy/").text
    assert "21 days after the order closes, then deleted" in page
    assert "Ear-training audio clips" in page and "3 days, then deleted (your scores stay)" in page
    assert "60 days, then deleted" in page
    assert "45 days, then deleted; you can delete them sooner" in page
    assert "7 years, then anonymised" in page  # PAYMENTS_RETENTION_DAYS = 7 * 366
