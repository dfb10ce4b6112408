"""Signed, expiring links to a song's files; the file view checks the owner again."""

from __future__ import annotations

from django.urls import reverse

from masterbus.core import links


def file_url(kind: str, object_id) -> str:
    token = links.sign({"k": kind, "id": str(object_id)})
    return reverse("mastering:file", args=[token])
