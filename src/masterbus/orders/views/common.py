"""What the order views share: running a move and coming back to the order with its outcome."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from masterbus.core.errors import DomainError
from masterbus.orders.models import Order


def act(request: HttpRequest, order: Order, move: Callable[[], object], done: str) -> HttpResponse:
    """Run the move; say what happened (or why not, in the person's words); back to the order."""
    try:
        move()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("orders:order", order.pk)
