"""What the order page shows: money in words, versions with their links, waveform and the notes'
markers (positions on the 0-1000 wide picture, so no inline style is needed)."""

from __future__ import annotations

from masterbus.mastering.presenters import WAVE_W, waveform_path
from masterbus.orders import links
from masterbus.orders.models import Delivery, FileKind, Order, OrderStatus
from masterbus.payments.money import format_money

UNLOCKED = (OrderStatus.APPROVED, OrderStatus.COMPLETED)


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def money(order: Order) -> dict:
    fmt = lambda amount: format_money(amount, order.currency)  # noqa: E731
    return {
        "price": fmt(order.price),
        "extra": fmt(order.extra_revision_price * order.extra_revisions),
        "rush": fmt(order.rush_price),
        "round": fmt(order.extra_revision_price),
        "total": fmt(order.total),
        "fee": fmt(order.platform_fee),
        "share": fmt(order.engineer_share),
    }


def sources(order: Order, user) -> list[dict]:
    return [
        {
            "file": f,
            "is_reference": f.kind == FileKind.REFERENCE,
            "url": links.file_url(links.SOURCE, f.pk, user) if f.stored_name else "",
        }
        for f in order.files.all()
    ]


def versions(order: Order, deliveries: list[Delivery], user, role: str) -> list[dict]:
    """Each version's files (preview, and the full file when it is unlocked for this person),
    the picture of its first file and its notes as markers."""
    full = role == "engineer" or order.status in UNLOCKED
    shown = []
    for delivery in deliveries:
        files = list(delivery.files.all())
        first = files[0] if files else None
        duration = float((first.audio_info or {}).get("duration_s") or 0) if first else 0.0
        notes = [
            {
                "note": note,
                "clock": clock(note.at_seconds),
                "x": round(min(note.at_seconds / duration, 1.0) * WAVE_W, 1) if duration else 0,
            }
            for note in delivery.notes.all()
        ]
        shown.append(
            {
                "delivery": delivery,
                "duration": duration,
                "wave": waveform_path({"waveform": first.waveform})
                if first and first.waveform
                else "",
                "notes": notes,
                "files": [
                    {
                        "file": f,
                        "preview_url": links.file_url(links.PREVIEW, f.pk, user)
                        if f.preview
                        else "",
                        "master_url": links.file_url(links.MASTER, f.pk, user) if full else "",
                    }
                    for f in files
                ],
            }
        )
    return shown


def comparisons(order: Order, shown: list[dict], chosen: dict, user) -> list[dict]:
    """What the chosen version can be heard against in the A/B player: the client's mix (the
    first stem) and every earlier version's preview."""
    options = []
    first_source = order.files.filter(kind=FileKind.STEM).exclude(stored_name="").first()
    if first_source is not None:
        options.append(
            {
                "key": "mix",
                "label": "Your mix",
                "url": links.file_url(links.SOURCE, first_source.pk, user),
            }
        )
    for version in shown:
        number = version["delivery"].number
        if (
            number < chosen["delivery"].number
            and version["files"]
            and version["files"][0]["preview_url"]
        ):
            options.append(
                {
                    "key": f"v{number}",
                    "label": f"Version {number}",
                    "url": version["files"][0]["preview_url"],
                }
            )
    return options
