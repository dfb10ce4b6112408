"""Placing an order: stems from the client's finished uploads, the quote, the hosted checkout.

Each stem came in as its own resumable tus upload and was checked as audio by its content when
it finished (uploads.services.upload_finalize); here the order takes the bytes into its own
folder and the upload rows go, exactly as a song takes its original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from masterbus.accounts.owner import Owner
from masterbus.core import storage
from masterbus.mastering.naming import stored_extension
from masterbus.mastering.services.songs import upload_check_usable, uploads_delete
from masterbus.messaging.services import thread_for
from masterbus.orders.errors import OrderError, WrongState
from masterbus.orders.models import EventKind, FileKind, Order, OrderFile, OrderStatus, Package
from masterbus.orders.services.events import event_record
from masterbus.orders.services.pricing import FEE_RULE, quote
from masterbus.payments import services as payments
from masterbus.uploads.models import Upload
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner

SUBJECT = "order"


def order_create(
    *,
    client,
    package: Package,
    upload_ids: list,
    reference_id=None,
    title: str = "",
    notes: str = "",
    extra_revisions: int = 0,
    rush: bool = False,
) -> Order:
    """An order awaiting payment, holding the client's stems (and reference) and the quote.

    Bounds: ORDERS_MAX_STEMS files and ORDERS_MAX_TOTAL_BYTES together; each file is a finished
    upload of the client's (another person's upload id is unknown here)."""
    engineer = package.engineer
    if not package.active or not engineer.is_approved:
        raise OrderError("This package cannot be ordered just now.")
    if engineer.user_id == client.pk:
        raise OrderError("You cannot order from yourself.")
    unpaid = Order.objects.filter(client=client, status=OrderStatus.AWAITING_PAYMENT).count()
    if unpaid >= settings.ORDERS_MAX_UNPAID:
        raise OrderError(
            f"You have {unpaid} orders waiting for payment; pay or cancel one of them first."
        )
    ids = list(dict.fromkeys(str(i) for i in upload_ids))
    if not ids:
        raise OrderError("Upload at least one stem or mix.")
    if len(ids) > settings.ORDERS_MAX_STEMS:
        raise OrderError(f"Send at most {settings.ORDERS_MAX_STEMS} files per order.")
    owner = Owner(user=client, guest_key=None)
    stems = [upload_get_for_owner(owner, upload_id) for upload_id in ids]
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    sources = [*stems, *([reference] if reference else [])]
    for upload in sources:
        upload_check_usable(upload)
    total_bytes = sum(upload.length for upload in sources)
    if total_bytes > settings.ORDERS_MAX_TOTAL_BYTES:
        limit = settings.ORDERS_MAX_TOTAL_BYTES / 1e9
        raise OrderError(
            f"The files add up to {total_bytes / 1e9:.1f} GB; the most is {limit:g} GB."
        )
    price = quote(package=package, extra_revisions=extra_revisions, rush=rush)
    order = Order(
        client=client,
        engineer=engineer.user,
        package=package,
        title=(title.strip() or _title_of(stems[0].filename))[:120],
        service=package.service,
        notes=notes.strip()[:5000],
        currency=price.currency,
        price=package.price,
        extra_revisions=extra_revisions,
        extra_revision_price=package.extra_revision_price,
        rush=rush,
        rush_price=package.rush_price if rush else 0,
        total=price.total,
        platform_fee=price.platform_fee,
        engineer_share=price.engineer_share,
        turnaround_days=price.turnaround_days,
        revisions_included=price.revisions_included,
    )
    files = [_source(order, upload, FileKind.STEM, n) for n, upload in enumerate(stems, 1)]
    if reference is not None:
        files.append(_source(order, reference, FileKind.REFERENCE, 0))
    try:
        with transaction.atomic():
            order.save(force_insert=True)
            OrderFile.objects.bulk_create(files)
            uploads_delete(sources)
            event_record(order=order, kind=EventKind.CREATED)
            thread_for(
                subject_type=SUBJECT, subject_id=str(order.pk), participants=[client, engineer.user]
            )
    except BaseException:
        storage.delete([f.stored_name for f in files])
        raise
    return order


def _title_of(filename: str) -> str:
    """A project title from the first file's name: "night_drive-v3.wav" -> "night drive-v3"."""
    return filename.rsplit(".", 1)[0].replace("_", " ").strip() or "Untitled"


def _source(order: Order, upload: Upload, kind: str, number: int) -> OrderFile:
    """An unsaved file row whose bytes are already in the order's folder."""
    name = f"orders/{order.pk.hex}/{kind}-{number:02d}.{stored_extension(upload)}"
    return OrderFile(
        order=order,
        kind=kind,
        filename=upload.filename,
        stored_name=storage.store(name, upload_file_path(upload)),
        size=upload.length,
        audio_info=upload.audio_info or {},
    )


def order_checkout(*, order: Order, success_url: str, cancel_url: str):
    """The hosted checkout for an order awaiting payment (payments.services.Checkout)."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise WrongState("This order is not waiting for payment.")
    lines = [
        payments.Line(
            description=f"{order.title}: {order.get_service_display()}", amount=order.price
        )
    ]
    if order.extra_revisions:
        lines.append(
            payments.Line(
                description="Extra revision round",
                amount=order.extra_revision_price,
                quantity=order.extra_revisions,
            )
        )
    if order.rush:
        lines.append(payments.Line(description="Rush delivery", amount=order.rush_price))
    return payments.checkout_start(
        payer=order.client,
        purpose=SUBJECT,
        purpose_id=str(order.pk),
        lines=lines,
        currency=order.currency,
        payee=order.engineer,
        fee_rule=FEE_RULE,
        success_url=success_url,
        cancel_url=cancel_url,
    )


ROUND_PURPOSE = "order_round"


def round_purpose_id(order: Order, number: int) -> str:
    """The payment of revision round ``number`` of the order (one payment per round)."""
    return f"{order.pk}:{number}"


def revision_round_checkout(*, order: Order, success_url: str, cancel_url: str):
    """Buy one more revision round once the included ones are used (while a version waits)."""
    if order.status != OrderStatus.DELIVERED or order.revisions_left > 0:
        raise WrongState(
            "Another round can be bought when every round is used and a version waits."
        )
    if not order.extra_revision_price:
        raise OrderError("This engineer sells no extra revision rounds; message them.")
    return payments.checkout_start(
        payer=order.client,
        purpose=ROUND_PURPOSE,
        purpose_id=round_purpose_id(order, order.revisions_included + 1),
        lines=[
            payments.Line(
                description=f"{order.title}: extra revision round",
                amount=order.extra_revision_price,
            )
        ],
        currency=order.currency,
        payee=order.engineer,
        fee_rule=FEE_RULE,
        success_url=success_url,
        cancel_url=cancel_url,
    )
