"""Shop pages for everyone and for buyers: products, buying, licences (key, machines, refund),
access-checked downloads, and the public key that verifies licence keys."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.core.files import stored_file_response
from masterbus.payments.csp import allows_checkout
from masterbus.security.clientip import client_ip_hash
from masterbus.shop import selectors, signing
from masterbus.shop.services import activations, downloads, licences


@access.public
@require_GET
def products(request: HttpRequest) -> HttpResponse:
    context = {
        "products": selectors.products_listed(),
        "refund_days": settings.SHOP_REFUND_WINDOW_DAYS,
    }
    return render(request, "shop/products.html", context)


@access.public
@allows_checkout  # the buy form redirects to the hosted checkout
@require_GET
def product(request: HttpRequest, product_slug: str) -> HttpResponse:
    """A product with its versions; a licence holder sees the downloads of each version."""
    item = selectors.product_listed(product_slug)
    owned = selectors.licence_active_for(request.user, item)
    versions = item.versions.prefetch_related("files")
    context = {"product": item, "versions": versions, "licence": owned}
    return render(request, "shop/product.html", context)


@access.public
@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    """The Ed25519 public key (PEM) plugins embed to verify licence keys offline."""
    return HttpResponse(signing.public_pem(), content_type="text/plain; charset=utf-8")


@access.signed_in
@require_POST
def product_buy(request: HttpRequest) -> HttpResponse:
    """Off to the hosted checkout for the product named in the form; back to my licences."""
    item = selectors.product_by_slug(request.POST.get("product", ""))
    if item is None:
        messages.error(request, "That product is not for sale.")
        return redirect("shop:products")
    back = request.build_absolute_uri(reverse("shop:product", args=[item.slug]))
    mine = request.build_absolute_uri(reverse("shop:licences"))
    try:
        checkout = licences.licence_checkout(
            user=request.user, product=item, success_url=f"{mine}?paid=1", cancel_url=back
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("shop:product", item.slug)
    return redirect(checkout.url)


@access.signed_in
@require_GET
def licence_list(request: HttpRequest) -> HttpResponse:
    context = {"licences": selectors.licences_of(request.user), "paid": "paid" in request.GET}
    return render(request, "shop/licences.html", context)


@access.signed_in
@require_GET
def licence(request: HttpRequest, licence_id) -> HttpResponse:
    found = selectors.licence_of(request.user, licence_id)
    context = {
        "licence": found,
        "activations": activations.live_activations(found),
        "limit": settings.SHOP_ACTIVATIONS_PER_LICENCE,
        "refund_until": licences.refund_deadline(found) if found.issued_at else None,
        "refundable": licences.refundable(found),
    }
    return render(request, "shop/licence.html", context)


@access.signed_in
@require_POST
def activation_deactivate(request: HttpRequest, licence_id, activation_id: int) -> HttpResponse:
    found = selectors.licence_of(request.user, licence_id)
    activation = get_object_or_404(activations.live_activations(found), pk=activation_id)
    activations.activation_deactivate(activation=activation, ip_hash=client_ip_hash(request))
    messages.success(request, "The machine is deactivated; its place is free.")
    return redirect("shop:licence", found.pk)


@access.signed_in
@require_POST
def licence_refund(request: HttpRequest, licence_id) -> HttpResponse:
    found = selectors.licence_of(request.user, licence_id)
    try:
        licences.licence_refund(licence=found, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your money is on its way back; the licence is revoked.")
    return redirect("shop:licence", found.pk)


@access.signed_in
@require_GET
def download(request: HttpRequest, file_id: int) -> HttpResponse:
    """A version's file, for holders of an active licence only (recorded as a download event)."""
    found = selectors.downloadable_file(request.user, file_id)
    downloads.download_record(user=request.user, file=found, ip_hash=client_ip_hash(request))
    return stored_file_response(
        request, found.stored_name, filename=found.filename, as_attachment=True
    )
