"""The client's side: ordering a package, paying, and the moves on their order."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.orders import selectors
from masterbus.orders.forms import ApproveForm, NoteForm, OrderForm, posted_text
from masterbus.orders.models import REVIEW_MAX_CHARS
from masterbus.orders.services import deliveries, ordering, workflow
from masterbus.orders.services.pricing import quote
from masterbus.orders.views.common import act
from masterbus.payments.money import format_money


@access.signed_in
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    """Order a package (``?package=<id>``): upload stems, notes, add-ons, see the price.
    Without a package, the engineers' list is where to pick one."""
    if not request.GET.get("package", "").isdigit():
        return redirect("orders:engineers")
    package = selectors.package_orderable(request.GET["package"])
    form = OrderForm(request.POST or None, upload_ids=request.POST.getlist("upload_ids"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = ordering.order_create(
                client=request.user,
                package=package,
                upload_ids=form.upload_ids,
                reference_id=data.get("reference_upload_id"),
                title=data["title"],
                notes=data["notes"],
                extra_revisions=data["extra_revisions"],
                rush=data["rush"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("orders:order", order.pk)
    price = quote(package=package)
    context = {
        "form": form,
        "package": package,
        "price": format_money(price.total, price.currency),
        "fee": format_money(price.platform_fee, price.currency),
        "share": format_money(price.engineer_share, price.currency),
        "due_at": price.due_at,
        "extra_hint": f"{format_money(package.extra_revision_price, package.currency)} each",
        "rush_hint": (
            f"Delivered in {package.rush_days} days for "
            f"{format_money(package.rush_price, package.currency)} more"
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "orders/order_new.html", context, status=status)


@access.signed_in
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    """The orders the user placed, and (for engineers) a link to their queue."""
    rows = [
        {
            "order": o,
            "engineer": selectors.party_name(o, "engineer"),
            "total": format_money(o.total, o.currency),
        }
        for o in selectors.orders_placed(request.user)
    ]
    context = {"rows": rows, "profile": selectors.profile_of(request.user)}
    return render(request, "orders/orders.html", context)


@access.signed_in
@require_POST
def order_pay(request: HttpRequest, order_id) -> HttpResponse:
    """Off to the hosted checkout; back to the order page after it (paid or not)."""
    order = selectors.order_for_client(request.user, order_id)
    back = request.build_absolute_uri(reverse("orders:order", args=[order.pk]))
    try:
        checkout = ordering.order_checkout(
            order=order, success_url=f"{back}?paid=1", cancel_url=back
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:order", order.pk)
    return redirect(checkout.url)


@access.signed_in
@require_POST
def round_buy(request: HttpRequest, order_id) -> HttpResponse:
    """Pay for one more revision round; back to the order to ask for the revision."""
    order = selectors.order_for_client(request.user, order_id)
    back = request.build_absolute_uri(reverse("orders:order", args=[order.pk]))
    try:
        checkout = ordering.revision_round_checkout(order=order, success_url=back, cancel_url=back)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("orders:order", order.pk)
    return redirect(checkout.url)


@access.signed_in
@require_POST
def order_cancel(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_client(request.user, order_id)
    return act(
        request, order, lambda: workflow.order_cancel(order=order), "The order is cancelled."
    )


@access.signed_in
@require_POST
def revision_request(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_client(request.user, order_id)
    text = posted_text(request.POST)
    return act(
        request,
        order,
        lambda: workflow.revision_request(order=order, text=text),
        "You asked for a revision; the engineer is told, with your notes.",
    )


@access.signed_in
@require_POST
def order_approve(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_client(request.user, order_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():  # nothing approved on a bad rating or an over-long review
        messages.error(request, f"Give 1 to 5 stars and at most {REVIEW_MAX_CHARS:,} characters.")
        return redirect("orders:order", order.pk)
    rating, review = form.cleaned_data["rating"], form.cleaned_data["review"]
    return act(
        request,
        order,
        lambda: workflow.order_approve(order=order, rating=rating, review=review),
        "Approved: the full-resolution files are yours to download.",
    )


@access.signed_in
@require_POST
def order_dispute(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_client(request.user, order_id)
    text = posted_text(request.POST)
    return act(
        request,
        order,
        lambda: workflow.order_dispute(order=order, text=text),
        "The order is disputed; our staff will look at it and write to you both.",
    )


@access.signed_in
@require_POST
def note_add(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_client(request.user, order_id)
    delivery = order.deliveries.order_by("-number").first()
    form = NoteForm(request.POST)
    if delivery is None or not form.is_valid():
        messages.error(request, "A note needs a time within the version and some text.")
        return redirect("orders:order", order.pk)
    data = form.cleaned_data
    return act(
        request,
        order,
        lambda: deliveries.note_add(
            order=order, delivery=delivery, at_seconds=data["at_seconds"], text=data["text"]
        ),
        "The note is pinned.",
    )


@access.signed_in
@require_POST
def note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    note = selectors.note_of_client(request.user, note_id)
    order = note.delivery.order
    return act(
        request,
        order,
        lambda: deliveries.note_delete(order=order, note=note),
        "The note is removed.",
    )
