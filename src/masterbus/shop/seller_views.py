"""Seller pages (apply, products, versions with files) and the staff review (approve sellers,
clear or revoke flagged licences; every staff action audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.shop import selectors
from masterbus.shop.forms import ProductForm, RevokeForm, SellerApplyForm, VersionForm
from masterbus.shop.models import Licence, SellerProfile
from masterbus.shop.services import catalogue, licences, sellers


@access.signed_in
def seller_apply(request: HttpRequest) -> HttpResponse:
    profile = selectors.seller_of(request.user)
    form = SellerApplyForm(
        request.POST or None,
        initial=profile and {"display_name": profile.display_name, "about": profile.about},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sellers.seller_apply(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your seller profile is saved.")
            return redirect("shop:seller")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "shop/seller_apply.html", {"form": form, "profile": profile}, status=status
    )


@access.signed_in
@require_GET
def seller(request: HttpRequest) -> HttpResponse:
    profile = selectors.seller_of(request.user)
    if profile is None:
        return redirect("shop:seller_apply")
    context = {"profile": profile, "products": profile.products.prefetch_related("versions")}
    return render(request, "shop/seller.html", context)


@access.signed_in
def product_new(request: HttpRequest) -> HttpResponse:
    profile = selectors.seller_of(request.user)
    if profile is None or not profile.is_approved:
        return redirect("shop:seller")
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = catalogue.product_create(seller=profile, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{made.name} is listed; add its first version.")
            return redirect("shop:version_new", made.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "shop/product_form.html", {"form": form}, status=status)


@access.signed_in
def version_new(request: HttpRequest, product_slug: str) -> HttpResponse:
    product = selectors.seller_product(request.user, product_slug)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = {name: data[name] for name in ("windows", "macos", "linux")}
        try:
            catalogue.version_create(
                product=product, version=data["version"], changelog=data["changelog"], files=files
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Version {data['version']} is published.")
            return redirect("shop:seller")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "product": product}
    return render(request, "shop/version_form.html", context, status=status)


@access.staff
@staff_member_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    context = {
        "sellers": selectors.sellers_pending(),
        "flagged": selectors.licences_flagged(),
    }
    return render(request, "shop/review.html", context)


@access.staff
@staff_member_required
@require_POST
def seller_approve(request: HttpRequest, seller_id: int) -> HttpResponse:
    profile = get_object_or_404(SellerProfile, pk=seller_id)
    if sellers.seller_approve(profile=profile, staff_user=request.user):
        messages.success(request, f"{profile.display_name} can now sell.")
    else:
        messages.info(request, f"{profile.display_name} was approved already.")
    return redirect("shop:review")


@access.staff
@staff_member_required
@require_POST
def licence_clear(request: HttpRequest, licence_id) -> HttpResponse:
    found = get_object_or_404(Licence, pk=licence_id)
    licences.licence_flag_clear(licence=found, staff_user=request.user)
    messages.success(request, "The flag is cleared; the licence keeps working.")
    return redirect("shop:review")


@access.staff
@staff_member_required
@require_POST
def licence_revoke(request: HttpRequest, licence_id) -> HttpResponse:
    found = get_object_or_404(Licence, pk=licence_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the licence is revoked.")
    elif licences.licence_revoke(
        licence=found, reason=form.cleaned_data["reason"], staff_user=request.user
    ):
        licences.licence_flag_clear(licence=found, staff_user=request.user)
        messages.success(request, "The licence is revoked.")
    else:
        messages.info(request, "The licence was not active.")
    return redirect("shop:review")
