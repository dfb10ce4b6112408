"""Public privacy pages, rendered from the registries and the live settings (thin views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masterbus.privacy.promises import PROMISES, promises_by_status


@require_GET
def promises(request: HttpRequest) -> HttpResponse:
    grouped = promises_by_status()
    counts = {status.value: len(items) for status, items in grouped.items()}
    return render(request, "privacy/promises.html", {"promises": PROMISES, "counts": counts})
