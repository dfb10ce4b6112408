"""Public pages: the engineers, one engineer's profile with packages and A/B samples."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from masterbus.core import access
from masterbus.core.files import stored_file_response
from masterbus.orders import selectors
from masterbus.orders.models import Sample
from masterbus.payments.money import format_money
from masterbus.studios.selectors import engineer_sessions_listed


@access.public
@require_GET
def engineers(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/engineers.html", {"engineers": selectors.engineers_listed()})


@access.public
@require_GET
def engineer(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.engineer_public(profile_id)
    packages = [
        {"package": p, "price": format_money(p.price, p.currency)}
        for p in profile.packages.filter(active=True)
    ]
    context = {
        "profile": profile,
        "packages": packages,
        "samples": profile.samples.all(),
        "reviews": selectors.engineer_reviews(profile),
        "sessions_studio": engineer_sessions_listed(profile),
    }
    return render(request, "orders/engineer.html", context)


@access.public
@require_GET
def sample_audio(request: HttpRequest, published_id: int, side: str) -> HttpResponse:
    """An approved engineer's published before/after sample (public, like the profile)."""
    sample = get_object_or_404(Sample, pk=published_id, engineer__approved_at__isnull=False)
    if side not in ("before", "after"):
        raise Http404
    name = getattr(sample, side)
    return stored_file_response(
        request, name, filename=f"{side}{name[name.rfind('.') :]}", as_attachment=False
    )
