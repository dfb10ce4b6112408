"""Engineers and their packages (public), and orders (token) over the orders services.

An order is visible to its two parties only: the client who placed it and the engineer who
received it; anyone else's id is answered like an unknown one (404). Client moves (pay, notes,
revision, approve) and engineer moves (accept, decline) refuse the other side with 404 as well.
Messages go through the order's thread: ``/threads/{thread_id}/messages``.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.api.paging import page_out
from masterbus.api.schemas import PageQuery
from masterbus.messaging.services import thread_for
from masterbus.orders import presenters, selectors
from masterbus.orders.forms import MAX_FILES_FIELD
from masterbus.orders.models import EngineerProfile, Order
from masterbus.orders.services import deliveries, ordering, workflow

router = Router(tags=["orders"])
NO_ORDER = "There is no such order."


class PackageOut(Schema):
    id: int
    name: str
    service: str
    description: str
    price: int = Field(description="minor units of the currency")
    currency: str
    turnaround_days: int
    revisions_included: int
    extra_revision_price: int = Field(description="each; 0: none sold")
    rush_price: int = Field(description="0: no rush delivery")
    rush_days: int | None


class EngineerOut(Schema):
    id: int
    display_name: str
    bio: str
    services: list[str]
    genres: str
    credits: str
    rating: float | None = Field(description="average stars of completed orders")
    ratings: int
    packages: list[PackageOut]


class OrderIn(Schema):
    package_id: int
    upload_ids: list[UUID] = Field(
        min_length=1, max_length=MAX_FILES_FIELD, description="finished tus uploads (stems)"
    )
    reference_upload_id: UUID | None = None
    title: str = Field("", max_length=120)
    notes: str = Field("", max_length=5000)
    extra_revisions: int = Field(0, ge=0, le=20)
    rush: bool = False


class OrderOut(Schema):
    id: UUID
    role: str = Field(description='"client" or "engineer": your side of the order')
    title: str
    service: str
    status: str
    notes: str
    currency: str
    total: int
    platform_fee: int
    engineer_share: int
    revisions_included: int
    revisions_used: int
    created_at: datetime
    paid_at: datetime | None
    due_at: datetime | None
    thread_id: UUID = Field(description="the order's messages: /threads/{thread_id}/messages")


class OrderPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[OrderOut]


class PayIn(Schema):
    success_url: str = Field(
        "",
        max_length=500,
        description="where the checkout returns when paid (default: the order page)",
    )
    cancel_url: str = Field("", max_length=500, description="default: the order page")


class PayOut(Schema):
    url: str = Field(description="the hosted checkout page")


class NoteIn(Schema):
    at_seconds: float = Field(0, ge=0, le=24 * 3600)
    text: str = Field("", max_length=500, description="required: what should change")


class NoteOut(Schema):
    id: int
    at_seconds: float
    text: str


class FileOut(Schema):
    filename: str
    size: int
    preview_url: str = Field(description="signed MP3 preview link for you; empty until ready")
    file_url: str = Field(description="signed full-resolution link; empty until approved")


class DeliveryOut(Schema):
    number: int
    message: str
    created_at: datetime
    files: list[FileOut]
    notes: list[NoteOut]


class TextIn(Schema):
    text: str = Field("", max_length=300)


class ApproveIn(Schema):
    rating: int | None = Field(None, ge=1, le=5)


def _engineer_out(profile: EngineerProfile) -> dict:
    return {
        "id": profile.pk,
        "display_name": profile.display_name,
        "bio": profile.bio,
        "services": profile.services,
        "genres": profile.genres,
        "credits": profile.credits,
        "rating": profile.rating_avg,
        "ratings": profile.rating_count,
        "packages": list(profile.packages.filter(active=True)),
    }


def _order_out(order: Order, user) -> dict:
    participants = [u for u in (order.client, order.engineer) if u is not None]
    thread = thread_for(
        subject_type=ordering.SUBJECT, subject_id=str(order.pk), participants=participants
    )
    return {
        **{f: getattr(order, f) for f in OrderOut.model_fields if hasattr(order, f)},
        "role": "client" if order.client_id == user.pk else "engineer",
        "thread_id": thread.pk,
    }


def _order(request: HttpRequest, order_id: UUID, side: str | None = None) -> Order:
    found = selectors.orders_of(request.owner.user)
    if side == "client":
        found = found.filter(client=request.owner.user)
    elif side == "engineer":
        found = found.filter(engineer=request.owner.user)
    order = found.filter(pk=order_id).first()
    if order is None:
        raise ApiError(404, "not_found", NO_ORDER)
    return order


@router.get(
    "/engineers", response={200: list[EngineerOut], **ERRORS}, auth=None, url_name="engineers"
)
def engineer_list(request: HttpRequest):
    """Approved engineers with their packages (public)."""
    return [_engineer_out(p) for p in selectors.engineers_listed()[:200]]


@router.get(
    "/engineers/{engineer_id}",
    response={200: EngineerOut, **ERRORS},
    auth=None,
    url_name="engineer",
)
def engineer_get(request: HttpRequest, engineer_id: int):
    profile = selectors.engineers_listed().filter(pk=engineer_id).first()
    if profile is None:
        raise ApiError(404, "not_found", "There is no such engineer.")
    return _engineer_out(profile)


@router.get("/orders", response={200: OrderPage, **ERRORS}, url_name="orders")
def order_list(request: HttpRequest, paging: Query[PageQuery]):
    """Orders you placed or received, newest first."""
    user = request.owner.user
    found = selectors.orders_of(user).order_by("-created_at", "-pk")
    page = found[paging.offset : paging.offset + paging.limit]
    items = [_order_out(o, user) for o in page]
    return page_out(request, paging, url_name="api:orders", count=found.count(), items=items)


@router.post("/orders", response={201: OrderOut, 409: ErrorOut, **ERRORS})
def order_create(request: HttpRequest, payload: OrderIn):
    """Order a package with your finished uploads; then ``POST /orders/{id}/pay``."""
    package = selectors.package_orderable_or_none(payload.package_id)
    if package is None:
        raise ApiError(404, "not_found", "There is no such package.")
    order = ordering.order_create(
        client=request.owner.user,
        package=package,
        upload_ids=payload.upload_ids,
        reference_id=payload.reference_upload_id,
        title=payload.title,
        notes=payload.notes,
        extra_revisions=payload.extra_revisions,
        rush=payload.rush,
    )
    return Status(201, _order_out(order, request.owner.user))


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS})
def order_get(request: HttpRequest, order_id: UUID):
    return _order_out(_order(request, order_id), request.owner.user)


@router.post("/orders/{order_id}/pay", response={200: PayOut, 409: ErrorOut, **ERRORS})
def order_pay(request: HttpRequest, order_id: UUID, payload: PayIn):
    """A hosted checkout link for an order awaiting payment (the client's)."""
    order = _order(request, order_id, "client")
    page = f"{settings.SITE_URL}{reverse('orders:order', args=[order.pk])}"
    checkout = ordering.order_checkout(
        order=order,
        success_url=payload.success_url or page,
        cancel_url=payload.cancel_url or page,
    )
    return {"url": checkout.url}


@router.get("/orders/{order_id}/deliveries", response={200: list[DeliveryOut], **ERRORS})
def delivery_list(request: HttpRequest, order_id: UUID):
    """Every version with its files (links signed for you) and the notes pinned to it."""
    order = _order(request, order_id)
    user = request.owner.user
    role = "client" if order.client_id == user.pk else "engineer"
    shown = presenters.versions(order, selectors.deliveries_of(order), user, role)
    return [
        {
            "number": v["delivery"].number,
            "message": v["delivery"].message,
            "created_at": v["delivery"].created_at,
            "files": [
                {
                    "filename": f["file"].filename,
                    "size": f["file"].size,
                    "preview_url": f["preview_url"],
                    "file_url": f["master_url"],
                }
                for f in v["files"]
            ],
            "notes": [
                {"id": n["note"].pk, "at_seconds": n["note"].at_seconds, "text": n["note"].text}
                for n in v["notes"]
            ],
        }
        for v in shown
    ]


@router.post("/orders/{order_id}/notes", response={201: NoteOut, 409: ErrorOut, **ERRORS})
def note_create(request: HttpRequest, order_id: UUID, payload: NoteIn):
    """Pin a revision note to a time of the latest version (the client's, while delivered)."""
    order = _order(request, order_id, "client")
    latest = order.deliveries.order_by("-number").first()
    if latest is None:
        raise ApiError(409, "order_state", "There is no version to pin a note to yet.")
    note = deliveries.note_add(
        order=order, delivery=latest, at_seconds=payload.at_seconds, text=payload.text
    )
    return Status(201, {"id": note.pk, "at_seconds": note.at_seconds, "text": note.text})


@router.post("/orders/{order_id}/revision", response={200: OrderOut, 409: ErrorOut, **ERRORS})
def order_revision(request: HttpRequest, order_id: UUID, payload: TextIn):
    order = workflow.revision_request(order=_order(request, order_id, "client"), text=payload.text)
    return _order_out(order, request.owner.user)


@router.post("/orders/{order_id}/approve", response={200: OrderOut, 409: ErrorOut, **ERRORS})
def order_approve(request: HttpRequest, order_id: UUID, payload: ApproveIn):
    """Approve the delivered version: the files unlock, the engineer's share is released."""
    order = workflow.order_approve(order=_order(request, order_id, "client"), rating=payload.rating)
    return _order_out(order, request.owner.user)


@router.post("/orders/{order_id}/accept", response={200: OrderOut, 409: ErrorOut, **ERRORS})
def order_accept(request: HttpRequest, order_id: UUID):
    order = workflow.order_accept(order=_order(request, order_id, "engineer"))
    return _order_out(order, request.owner.user)


@router.post("/orders/{order_id}/decline", response={200: OrderOut, 409: ErrorOut, **ERRORS})
def order_decline(request: HttpRequest, order_id: UUID, payload: TextIn):
    """Decline a paid order: the client is refunded in full."""
    order = workflow.order_decline(order=_order(request, order_id, "engineer"), reason=payload.text)
    return _order_out(order, request.owner.user)
