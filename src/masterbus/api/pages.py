"""The account settings page for API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from masterbus.api.selectors import token_list_for_user
from masterbus.api.services import EXPIRY_CHOICES, TokenError, token_create, token_revoke
from masterbus.core import access

# The expiry choices as the form sends them: days, or "never".
EXPIRY_VALUES = {str(days) if days else "never": days for days in EXPIRY_CHOICES}


def _expires_days(value: str) -> int | None:
    if value not in EXPIRY_VALUES:
        raise TokenError("Choose when the token expires: after 30, 90 or 365 days, or never.")
    return EXPIRY_VALUES[value]


@access.signed_in
@reauthentication_required(allow_get=True)  # a new credential: the password again, if not recent
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    context: dict = {"error": None, "new_token": None, "expiry_values": EXPIRY_VALUES}
    status = 200
    if request.method == "POST":
        try:
            token, context["new_token"] = token_create(
                user=request.user,
                name=request.POST.get("name", ""),
                expires_days=_expires_days(request.POST.get("expires", "")),
                request=request,
            )
            context["new_name"] = token.name
            context["new_expires_at"] = token.expires_at
        except TokenError as exc:
            context["error"], status = str(exc), 400
    context["tokens"] = token_list_for_user(request.user)
    return render(request, "api/tokens.html", context, status=status)


@access.signed_in
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if token_revoke(user=request.user, token_id=token_id, request=request):
        messages.success(request, "The token is revoked: scripts using it are refused from now on.")
    return redirect("api-pages:tokens")


app_name = "api-pages"
urlpatterns = [
    path("", tokens, name="tokens"),
    path("<int:token_id>/revoke", revoke, name="token_revoke"),
]
