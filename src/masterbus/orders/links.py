"""Signed, expiring links to an order's files, each made for one person: the file view serves
it only to that person, and only while they are still a party to the order (P18)."""

from __future__ import annotations

from django.urls import reverse

from masterbus.core import links

SOURCE = "source"  # a stem or the reference (OrderFile)
PREVIEW = "preview"  # a version's MP3 preview (DeliveryFile)
MASTER = "master"  # a version's full-resolution file (DeliveryFile): the client's after approval
KINDS = (SOURCE, PREVIEW, MASTER)


def file_url(kind: str, object_id, user) -> str:
    token = links.sign({"k": kind, "id": str(object_id), "u": str(user.pk)})
    return reverse("orders:file", args=[token])
