"""Licence keys verify offline with only the public key (the docs' own snippet), and nothing
else passes: a changed payload, another installation's key, garbage."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from masterbus.shop import signing
from tests.platform.fixtures import REPO

pytestmark = pytest.mark.django_db


def docs_snippet():
    """The verification function of docs/licences.md, run as a plugin would: alone."""
    text = (Path(REPO) / "docs" / "licences.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    scope: dict = {}
    exec(compile(code, "docs/licences.md", "exec"), scope)  # our own docs, run as a plugin would
    return scope["licence_payload"]


def test_an_issued_key_verifies_with_only_the_published_public_key(client, licence, buyer):
    public_pem = client.get(reverse("shop:public_key")).content
    assert b"BEGIN PUBLIC KEY" in public_pem and b"PRIVATE" not in public_pem
    payload = docs_snippet()(licence.key, public_pem)
    assert payload == {
        "lid": str(licence.pk),
        "product": licence.product.slug,
        "account": signing.account_ref(buyer.pk),
        "issued": licence.issued_at.date().isoformat(),
        "edition": "standard",
    }
    assert str(buyer.pk) != payload["account"] and buyer.email not in licence.key
    wrapped = "\n".join(licence.key[i : i + 40] for i in range(0, len(licence.key), 40))
    assert docs_snippet()(wrapped, public_pem) == payload  # pasted with line breaks


def test_a_changed_payload_or_another_key_does_not_verify(client, licence):
    public_pem = client.get(reverse("shop:public_key")).content
    check = docs_snippet()
    prefix, body, signature = licence.key.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["edition"] = "pro"
    forged_body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    assert check(f"{prefix}.{forged_body}.{signature}", public_pem) is None
    other = Ed25519PrivateKey.generate()
    foreign = base64.urlsafe_b64encode(other.sign(base64.urlsafe_b64decode(body + "=="))).decode()
    assert check(f"{prefix}.{body}.{foreign.rstrip('=')}", public_pem) is None
    for junk in ("", "MB1..", "MB1.\x00.\x00", "x" * 5000, "MB2." + body + "." + signature):
        assert check(junk, public_pem) is None
        with pytest.raises(signing.KeyInvalid):
            signing.key_verify(junk)


def test_the_configured_key_signs_and_the_generated_one_is_refused_in_deployments(
    settings, tmp_path
):
    pem = signing.new_private_pem()
    settings.SHOP_LICENCE_SIGNING_KEY = pem.decode()
    key = signing.key_sign(signing.LicencePayload("l", "p", "a", "2026-12-03", "standard"))
    public = signing.private_key().public_key()
    assert signing.key_verify(key, public).product == "p"
    settings.SHOP_LICENCE_SIGNING_KEY = ""
    with pytest.raises(SystemCheckError, match=r"shop\.E001"):
        call_command("check", "--deploy", "--tag", "shop_licences")
    (tmp_path / "k.pem").write_bytes(b"not a key")
    settings.SHOP_LICENCE_SIGNING_KEY = str(tmp_path / "k.pem")
    with pytest.raises(SystemCheckError, match=r"shop\.E002"):
        call_command("check", "--deploy", "--tag", "shop_licences")
