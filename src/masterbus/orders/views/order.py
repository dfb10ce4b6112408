"""The order page both sides share, and its files behind signed links."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from masterbus.core import access
from masterbus.core import links as core_links
from masterbus.core.files import stored_file_response
from masterbus.messaging.services import thread_for
from masterbus.orders import links, presenters, selectors
from masterbus.orders.forms import ApproveForm, DeliveryForm, NoteForm, TextForm
from masterbus.orders.models import DeliveryFile, OrderFile, OrderStatus
from masterbus.orders.services.ordering import SUBJECT
from masterbus.payments.csp import allows_checkout


@access.signed_in
@allows_checkout  # the client's pay form redirects to the hosted checkout
@require_GET
def order(request: HttpRequest, order_id) -> HttpResponse:
    """Status, money, files, versions in the A/B player with the notes, timeline, messages."""
    found = selectors.order_for_party(request.user, order_id)
    role = "client" if found.client_id == request.user.pk else "engineer"
    shown = presenters.versions(found, selectors.deliveries_of(found), request.user, role)
    chosen = _chosen(shown, request.GET.get("v"))
    compare = presenters.comparisons(found, shown, chosen, request.user) if chosen else []
    against = next((c for c in compare if c["key"] == request.GET.get("a")), None)
    participants = [u for u in (found.client, found.engineer) if u is not None]
    context = {
        "order": found,
        "role": role,
        "other": selectors.party_name(found, "engineer" if role == "client" else "client"),
        "money": presenters.money(found),
        "sources": presenters.sources(found, request.user),
        "versions": shown,
        "chosen": chosen,
        "compare": compare,
        "against": against or (compare[-1] if compare else None),
        "latest": shown[-1] if shown else None,
        "events": found.events.all(),
        "thread": thread_for(
            subject_type=SUBJECT, subject_id=str(found.pk), participants=participants
        ),
        "S": OrderStatus,
        "note_form": NoteForm(),
        "approve_form": ApproveForm(),
        "text_form": TextForm(),
        "delivery_form": DeliveryForm(),
        "just_paid": request.GET.get("paid") == "1",
        "auto_days": settings.ORDERS_AUTO_APPROVE_DAYS,
        "retention_days": settings.ORDERS_SOURCE_RETENTION_DAYS,
    }
    return render(request, "orders/order.html", context)


def _chosen(shown: list[dict], wanted: str | None) -> dict | None:
    for version in shown:
        if str(version["delivery"].number) == wanted:
            return version
    return shown[-1] if shown else None


@access.signed_link
@require_GET
def stored_file(request: HttpRequest, token: str) -> HttpResponse:
    """An order's file behind a signed link made for one person: served to that person only,
    while they are a party to the order; a full-resolution version reaches the client only
    after approval."""
    payload = core_links.unsign(token, max_age=settings.FILE_LINK_MAX_AGE)
    if payload is None or payload.get("k") not in links.KINDS:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if payload.get("u") != str(request.user.pk):
        raise Http404
    kind = payload["k"]
    if kind == links.SOURCE:
        row = get_object_or_404(OrderFile.objects.select_related("order"), pk=payload.get("id"))
        order, name, filename = row.order, row.stored_name, row.filename
    else:
        row = get_object_or_404(
            DeliveryFile.objects.select_related("delivery__order"), pk=payload.get("id")
        )
        order = row.delivery.order
        name = row.preview if kind == links.PREVIEW else row.stored_name
        filename = (
            f"{row.filename.rsplit('.', 1)[0]}-preview.mp3"
            if kind == links.PREVIEW
            else row.filename
        )
    is_client = order.client_id == request.user.pk
    if not name or not (is_client or order.engineer_id == request.user.pk):
        raise Http404
    if kind == links.MASTER and is_client and order.status not in presenters.UNLOCKED:
        raise Http404
    return stored_file_response(
        request, name, filename=filename, as_attachment=kind == links.MASTER
    )
