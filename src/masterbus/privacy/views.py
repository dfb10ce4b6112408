"""Public privacy pages, rendered from the registries and the live settings (thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from masterbus.core import access
from masterbus.privacy import policy
from masterbus.privacy.consent import write_consent_cookie
from masterbus.privacy.cookies import (
    CATEGORY_PURPOSE,
    OPTIONAL_CATEGORIES,
    Category,
    items_by_category,
)
from masterbus.privacy.promises import PROMISES, Status, promises_by_status

CHOICES = {"all": OPTIONAL_CATEGORIES, "none": ()}
COOKIES_BLOCKED = (
    "Your browser did not send this site's essential cookies. Without them you cannot sign in, "
    "upload or master a song, or pay. Allow cookies for this site, then reload the page."
)
FORM_EXPIRED = "This form has expired. Reload the page and try again."


def _policy() -> dict:
    return {"version": policy.POLICY_VERSION, "effective": policy.POLICY_EFFECTIVE}


@access.public
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    kept = promises_by_status()[Status.KEPT]
    return render(
        request,
        "privacy/privacy.html",
        {
            **_policy(),
            "retention": policy.retention_windows(),
            "processors": policy.processors(),
            "kept": kept,
        },
    )


@access.public
@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    groups = [(c, CATEGORY_PURPOSE[c], items) for c, items in items_by_category().items()]
    return render(request, "privacy/cookies.html", {**_policy(), "groups": groups})


@access.public
@require_GET
def promises(request: HttpRequest) -> HttpResponse:
    grouped = promises_by_status()
    counts = {status.value: len(items) for status, items in grouped.items()}
    return render(request, "privacy/promises.html", {"promises": PROMISES, "counts": counts})


@access.public
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """The banner's buttons and the settings page post here; works without JavaScript."""
    if request.method == "GET":
        rows = [(c, CATEGORY_PURPOSE[c], request.consent.allows(c)) for c in OPTIONAL_CATEGORIES]
        return render(request, "privacy/consent.html", {"rows": rows})
    choice = request.POST.get("choice", "")
    if choice in CHOICES:
        granted = CHOICES[choice]
    else:  # "save": the ticked categories; unknown names are ignored
        optional = {c.value for c in OPTIONAL_CATEGORIES}
        granted = [Category(n) for n in request.POST.getlist("category") if n in optional]
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "privacy:consent"
    messages.success(request, "Your cookie choices are saved.")
    response = redirect(target)
    write_consent_cookie(response, granted)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form or upload says why (P29): without the CSRF cookie the browser is blocking
    essential cookies, so say what cannot work. Uploads (tus) get plain text for the uploader."""
    message = COOKIES_BLOCKED if reason == REASON_NO_CSRF_COOKIE else FORM_EXPIRED
    if "Tus-Resumable" in request.headers:
        return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")
    return render(request, "privacy/refused.html", {"message": message}, status=403)
