"""Products, their versions and the files per OS (approved sellers only; bounded in count and
size; files kept under server-chosen names in storage)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from masterbus.core import storage
from masterbus.shop.errors import ShopError
from masterbus.shop.models import Platform, Product, ProductVersion, SellerProfile, VersionFile

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,29}")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _approved(seller: SellerProfile) -> None:
    if not seller.is_approved:
        raise ShopError("Your seller account has not been approved yet.")


def _free_slug(name: str) -> str:
    base = slugify(name)[:50] or "product"
    slug, number = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def product_create(
    *, seller: SellerProfile, name: str, description: str, price: int, currency: str = ""
) -> Product:
    _approved(seller)
    if seller.products.count() >= settings.SHOP_MAX_PRODUCTS_PER_SELLER:
        raise ShopError(f"A seller lists at most {settings.SHOP_MAX_PRODUCTS_PER_SELLER} products.")
    if not name.strip():
        raise ShopError("Give the product a name.")
    if price <= 0 or price > settings.PAYMENTS_MAX_AMOUNT:
        raise ShopError("Give a price above zero and within the checkout limit.")
    return Product.objects.create(
        seller=seller,
        name=name.strip()[:80],
        slug=_free_slug(name),
        description=description.strip()[:5000],
        price=price,
        currency=(currency or settings.PAYMENTS_CURRENCY).lower(),
    )


def version_create(
    *, product: Product, version: str, changelog: str, files: dict[str, object]
) -> ProductVersion:
    """A new version with one file per OS given (``files``: platform -> uploaded file)."""
    _approved(product.seller)
    version = version.strip()
    if not VERSION.fullmatch(version):
        raise ShopError("A version is like 1.2.0 (letters, digits, dots, + and -).")
    if product.versions.count() >= settings.SHOP_MAX_VERSIONS_PER_PRODUCT:
        raise ShopError(
            f"A product keeps at most {settings.SHOP_MAX_VERSIONS_PER_PRODUCT} versions."
        )
    files = {os_: f for os_, f in files.items() if f is not None and os_ in Platform.values}
    if not files:
        raise ShopError("Upload at least one file (Windows, macOS or Linux).")
    for uploaded in files.values():
        if not 0 < uploaded.size <= settings.SHOP_MAX_FILE_BYTES:
            limit = settings.SHOP_MAX_FILE_BYTES // 1000**2
            raise ShopError(f"Each file has to be between 1 byte and {limit} MB.")
    try:
        with transaction.atomic():
            row = ProductVersion.objects.create(
                product=product, version=version, changelog=changelog.strip()[:5000]
            )
    except IntegrityError:
        raise ShopError(f"Version {version} exists already.") from None
    stored: list[str] = []
    try:
        for platform, uploaded in files.items():
            stored.append(_store(row, platform, uploaded))
    except Exception:
        storage.delete(stored)
        row.delete()
        raise
    return row


def _store(row: ProductVersion, platform: str, uploaded) -> str:
    filename = SAFE_NAME.sub("_", Path(uploaded.name).name)[-120:] or "download"
    name = f"shop/{row.product_id}/{row.pk}/{platform}/{filename}"
    with tempfile.NamedTemporaryFile() as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
        handle.flush()
        storage.store(name, Path(handle.name))
    VersionFile.objects.create(
        version=row, platform=platform, stored_name=name, filename=filename, size=uploaded.size
    )
    return name
