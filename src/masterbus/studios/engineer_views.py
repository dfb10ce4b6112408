"""An approved engineer offers bookable sessions: one page that opens their sessions studio and
hands over to the studio management page (rooms there are the session offers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from masterbus.core import access
from masterbus.core.errors import DomainError
from masterbus.studios.manage_forms import EngineerSessionsForm
from masterbus.studios.services.engineer_sessions import engineer_sessions_open


@access.signed_in
@require_http_methods(["GET", "POST"])
def engineer_sessions(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "engineer_profile", None)
    if profile is None:
        return redirect("orders:apply")
    existing = getattr(profile, "sessions_studio", None)
    if existing is not None:
        return redirect("studios:manage", existing.pk)
    form = EngineerSessionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            studio = engineer_sessions_open(profile=profile, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or " ".join(error.messages))
        else:
            return redirect("studios:manage", studio.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "profile": profile}
    return render(request, "studios/engineer_sessions.html", context, status=status)
