"""The shop for programs: products (public), the token owner's licences, and the endpoints a
plugin calls with the licence key itself (activate, deactivate, verify; rate limited).

A plugin verifies a key offline with the public key (``/shop/licence-public-key.pem``, see
docs/licences.md); ``/shop/verify`` adds what only the server knows: revoked or not.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.security.clientip import client_ip_hash
from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text
from masterbus.shop import selectors, signing
from masterbus.shop.errors import ActivationLimit, LicenceInvalid
from masterbus.shop.models import Licence, Product
from masterbus.shop.services import activations

router = Router(tags=["shop"])


class VersionOut(Schema):
    version: str
    changelog: str
    platforms: list[str]
    created_at: datetime


class ProductOut(Schema):
    slug: str
    name: str
    description: str
    price: int = Field(description="minor units of the currency")
    currency: str
    seller: str
    versions: list[VersionOut]


class LicenceOut(Schema):
    id: UUID
    product: str = Field(description="the product's slug")
    status: str
    key: str = Field(description="the signed licence key (empty unless active)")
    issued_at: datetime | None
    machines: int = Field(description="machines using the licence now")
    machine_limit: int


class KeyIn(Schema):
    key: str = Field(max_length=signing.MAX_KEY_LENGTH)


class MachineIn(KeyIn):
    machine: str = Field(
        max_length=64, description="a hash (hex) of the machine's fingerprint, never the raw one"
    )
    label: str = Field("", max_length=80, description="a name you recognise, e.g. 'Studio Mac'")


class ActivationOut(Schema):
    machine: str
    activated_at: datetime
    machines: int
    machine_limit: int


class VerifyOut(Schema):
    valid: bool = Field(description="genuine and active")
    status: str = Field(
        description="active, revoked, unknown (genuine, not ours any more), invalid"
    )
    licence_id: str = ""
    product: str = ""
    edition: str = ""
    issued: date | None = None


def _product_out(product: Product) -> dict:
    versions = [
        {
            "version": v.version,
            "changelog": v.changelog,
            "platforms": [f.platform for f in v.files.all()],
            "created_at": v.created_at,
        }
        for v in product.versions.prefetch_related("files")
    ]
    return {
        "slug": product.slug,
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "currency": product.currency,
        "seller": product.seller.display_name,
        "versions": versions,
    }


def _licence_out(licence: Licence) -> dict:
    return {
        "id": licence.pk,
        "product": licence.product.slug,
        "status": licence.status,
        "key": licence.key if licence.status == "active" else "",
        "issued_at": licence.issued_at,
        "machines": activations.live_activations(licence).count(),
        "machine_limit": settings.SHOP_ACTIVATIONS_PER_LICENCE,
    }


def _by_key(call, **kwargs):
    """Run a key-authenticated service; its refusals as the API's answers."""
    try:
        return call(**kwargs)
    except LicenceInvalid as exc:
        raise ApiError(403, exc.code, exc.message) from None
    except ActivationLimit as exc:
        raise ApiError(409, exc.code, exc.message) from None


@router.get(
    "/shop/products",
    response={200: list[ProductOut], **ERRORS},
    auth=None,
    url_name="shop_products",
)
def product_list(request: HttpRequest):
    """Products for sale (public)."""
    return [_product_out(p) for p in selectors.products_listed()[:200]]


@router.get(
    "/shop/products/{slug}",
    response={200: ProductOut, **ERRORS},
    auth=None,
    url_name="shop_product",
)
def product_get(request: HttpRequest, slug: str):
    product = selectors.product_by_slug(slug)
    if product is None:
        raise ApiError(404, "not_found", "There is no such product.")
    return _product_out(product)


@router.get("/shop/licences", response={200: list[LicenceOut], **ERRORS}, url_name="shop_licences")
def licence_list(request: HttpRequest):
    """The token owner's licences (keys of active ones)."""
    if request.owner.user is None:
        return []
    return [_licence_out(item) for item in selectors.licences_of(request.owner.user)[:500]]


@router.post(
    "/shop/activations",
    response={201: ActivationOut, 403: ErrorOut, 409: ErrorOut, **ERRORS},
    auth=None,
    url_name="shop_activate",
)
def activate(request: HttpRequest, payload: MachineIn):
    """Activate a machine with the licence key (no account token needed). The same machine
    again is the same activation; 409 ``activation_limit`` when the licence is on its most
    machines; 403 ``licence_invalid`` for a key that is not genuine or not active."""
    found = _by_key(
        activations.activation_create,
        key=payload.key,
        machine=payload.machine,
        label=payload.label,
        ip_hash=client_ip_hash(request),
    )
    return Status(
        201,
        {
            "machine": found.machine_hash,
            "activated_at": found.created_at,
            "machines": activations.live_activations(found.licence).count(),
            "machine_limit": settings.SHOP_ACTIVATIONS_PER_LICENCE,
        },
    )


@router.post(
    "/shop/activations/release",
    response={204: None, 403: ErrorOut, **ERRORS},
    auth=None,
    url_name="shop_deactivate",
)
def deactivate(request: HttpRequest, payload: MachineIn):
    """Free the machine's place (uninstalling); a machine not active is already free."""
    _by_key(
        activations.activation_deactivate_by_key,
        key=payload.key,
        machine=payload.machine,
        ip_hash=client_ip_hash(request),
    )
    return Status(204, None)


@router.post("/shop/verify", response={200: VerifyOut, **ERRORS}, auth=None, url_name="shop_verify")
def verify(request: HttpRequest, payload: KeyIn):
    """Is this key genuine, and still active? (Public, rate limited per address.)"""
    rate = parse_rate(settings.SHOP_VERIFY_RATE)
    key = hashlib.sha256(f"verify:{client_ip_hash(request)}".encode()).hexdigest()
    refusal = rate_limit_hit(scope="licence_verify", key=key, rate=rate)
    if refusal is not None:
        wait = wait_text(refusal.retry_after)
        error = ApiError(429, "rate_limited", f"Too many checks: try again in {wait}.")
        error.retry_after = refusal.retry_after
        raise error
    try:
        data = signing.key_verify(payload.key)
    except signing.KeyInvalid:
        return {"valid": False, "status": "invalid"}
    licence = Licence.objects.filter(pk=data.lid).first() if _is_uuid(data.lid) else None
    status = "unknown" if licence is None or licence.user_id is None else licence.status
    return {
        "valid": status == "active",
        "status": status,
        "licence_id": data.lid,
        "product": data.product,
        "edition": data.edition,
        "issued": date.fromisoformat(data.issued),
    }


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
