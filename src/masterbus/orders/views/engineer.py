"""The engineer's side: applying, the studio page (queue, packages, samples), the moves on an
order they received, and staff approving applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.orders import selectors
from masterbus.orders.forms import (
    DeliveryForm,
    EngineerApplyForm,
    PackageForm,
    posted_text,
)
from masterbus.orders.models import EngineerProfile, Package, Sample
from masterbus.orders.services import deliveries, engineers, workflow
from masterbus.orders.views.common import act
from masterbus.payments.money import format_money


@access.signed_in
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if request.method == "POST":
        form = EngineerApplyForm(request.POST)
        if form.is_valid():
            try:
                engineers.engineer_apply(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Your engineer profile is saved.")
                return redirect("orders:studio")
        return render(request, "orders/apply.html", {"form": form, "profile": profile}, status=400)
    initial = {}
    if profile is not None:
        initial = {f: getattr(profile, f) for f in EngineerApplyForm.base_fields}
    context = {"form": EngineerApplyForm(initial=initial), "profile": profile}
    return render(request, "orders/apply.html", context)


@access.signed_in
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if profile is None:
        return redirect("orders:apply")
    queue = [
        {"order": o, "client": selectors.party_name(o, "client")}
        for o in selectors.engineer_queue(request.user)
    ]
    packages = [
        {"package": p, "price": format_money(p.price, p.currency)}
        for p in profile.packages.filter(active=True)
    ]
    context = {
        "profile": profile,
        "queue": queue,
        "history": selectors.engineer_history(request.user)[:50],
        "packages": packages,
        "samples": profile.samples.all(),
        "package_form": PackageForm(),
    }
    return render(request, "orders/studio.html", context)


@access.signed_in
@require_POST
def package_add(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if profile is None:
        return redirect("orders:apply")
    form = PackageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The package was not added: " + _errors(form))
        return redirect("orders:studio")
    try:
        engineers.package_create(profile=profile, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The package is added.")
    return redirect("orders:studio")


@access.signed_in
@require_POST
def package_remove(request: HttpRequest, package_id: int) -> HttpResponse:
    package = get_object_or_404(Package, pk=package_id, engineer__user=request.user)
    engineers.package_deactivate(package=package)
    messages.success(request, f"“{package.name}” is no longer offered.")
    return redirect("orders:studio")


@access.signed_in
@require_POST
def sample_add(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    if profile is None:
        return redirect("orders:apply")
    try:
        engineers.sample_add(
            profile=profile,
            title=request.POST.get("title", ""),
            before_id=request.POST.get("upload_id") or None,
            after_id=request.POST.get("reference_upload_id") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The sample is added.")
    return redirect("orders:studio")


@access.signed_in
@require_POST
def sample_remove(request: HttpRequest, sample_id: int) -> HttpResponse:
    sample = get_object_or_404(Sample, pk=sample_id, engineer__user=request.user)
    engineers.sample_delete(sample=sample)
    messages.success(request, "The sample is removed.")
    return redirect("orders:studio")


@access.signed_in
@require_POST
def order_accept(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_engineer(request.user, order_id)
    return act(
        request, order, lambda: workflow.order_accept(order=order), "You accepted the order."
    )


@access.signed_in
@require_POST
def order_decline(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_engineer(request.user, order_id)
    reason = posted_text(request.POST)
    return act(
        request,
        order,
        lambda: workflow.order_decline(order=order, reason=reason),
        "You declined the order; the client is refunded in full.",
    )


@access.signed_in
@require_POST
def order_start(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_engineer(request.user, order_id)
    return act(request, order, lambda: workflow.order_start(order=order), "Work has started.")


@access.signed_in
@require_POST
def delivery_add(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_engineer(request.user, order_id)
    form = DeliveryForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    ids = request.POST.getlist("upload_ids")[:100]
    return act(
        request,
        order,
        lambda: deliveries.delivery_create(order=order, upload_ids=ids, message=message),
        "The version is delivered; the client is told.",
    )


@access.staff
@staff_member_required
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    context = {"applications": selectors.applications_pending()}
    return render(request, "orders/applications.html", context)


@access.staff
@staff_member_required
@require_POST
def application_approve(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = get_object_or_404(EngineerProfile, pk=profile_id)
    if engineers.engineer_approve(profile=profile, staff_user=request.user):
        messages.success(request, f"{profile.display_name} is now an engineer.")
    else:
        messages.info(request, f"{profile.display_name} was approved already.")
    return redirect("orders:applications")


def _errors(form) -> str:
    return " ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
