"""Shop reads: listed products for everyone; licences, activations and seller data scoped to
their user (another user's id reads as unknown: 404)."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.http import Http404

from masterbus.shop.models import (
    Licence,
    LicenceStatus,
    Product,
    SellerProfile,
    VersionFile,
)

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def products_listed() -> QuerySet[Product]:
    return Product.objects.filter(active=True, seller__approved_at__isnull=False).select_related(
        "seller"
    )


def product_listed(slug: str) -> Product:
    product = products_listed().filter(slug=slug).first()
    if product is None:
        raise Http404
    return product


def product_by_slug(text: str) -> Product | None:
    """A listed product named by untrusted text (a form, the API): anything that is not a slug
    is simply unknown (PostgreSQL refuses a NUL character in a query)."""
    if not SLUG.fullmatch(text):
        return None
    return products_listed().filter(slug=text).first()


def seller_of(user) -> SellerProfile | None:
    return SellerProfile.objects.filter(user=user).first() if user.is_authenticated else None


def seller_product(user, slug: str) -> Product:
    """One of the user's own products (approved seller); 404 for anyone else's."""
    product = Product.objects.filter(
        slug=slug, seller__user=user, seller__approved_at__isnull=False
    ).first()
    if product is None:
        raise Http404
    return product


def licences_of(user) -> QuerySet[Licence]:
    return (
        Licence.objects.filter(user=user)
        .exclude(status=LicenceStatus.PENDING)
        .select_related("product")
    )


def licence_of(user, licence_id) -> Licence:
    licence = licences_of(user).filter(pk=licence_id).first()
    if licence is None:
        raise Http404
    return licence


def licence_active_for(user, product: Product) -> Licence | None:
    if not user.is_authenticated:
        return None
    return Licence.objects.filter(user=user, product=product, status=LicenceStatus.ACTIVE).first()


def downloadable_file(user, file_id: int) -> VersionFile:
    """A file of a product the user holds an active licence for; 404 otherwise."""
    found = (
        VersionFile.objects.select_related("version__product")
        .filter(
            pk=file_id,
            version__product__licences__user=user,
            version__product__licences__status=LicenceStatus.ACTIVE,
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def sellers_pending() -> QuerySet[SellerProfile]:
    return SellerProfile.objects.filter(approved_at__isnull=True).select_related("user")


def licences_flagged() -> QuerySet[Licence]:
    return Licence.objects.filter(flagged_at__isnull=False).select_related("product", "user")
