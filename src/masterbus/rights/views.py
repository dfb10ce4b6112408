"""Rights pages (thin): export, account deletion and the rights-request form."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access, links
from masterbus.core.files import stored_file_response
from masterbus.rights import selectors
from masterbus.rights.deletion import account_delete
from masterbus.rights.exports import export_request
from masterbus.rights.forms import AccountDeleteForm, RightsRequestForm
from masterbus.rights.models import ExportStatus
from masterbus.rights.rights_requests import rights_request_create

EXPORT_LINK = "export"


@access.signed_in
@require_GET
def data(request: HttpRequest) -> HttpResponse:
    export = selectors.export_latest(request.user)
    link = None
    if export is not None and export.status == ExportStatus.READY:
        link = reverse(
            "rights:export_download", args=[links.sign({"k": EXPORT_LINK, "id": str(export.pk)})]
        )
    return render(
        request,
        "rights/data.html",
        {
            "export": export,
            "download_url": link,
            "working": export is not None and export.in_progress,
            "export_days": settings.EXPORT_RETENTION_DAYS,
            "purge_days": settings.ACCOUNT_PURGE_DAYS,
        },
    )


@access.signed_in
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    export_request(user=request.user)
    messages.success(request, "Your export is being prepared. We will email you when it is ready.")
    return redirect("rights:data")


@access.signed_link
@login_required
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    payload = links.unsign(token, max_age=settings.FILE_LINK_MAX_AGE)
    if payload is None or payload.get("k") != EXPORT_LINK:
        raise Http404
    export = selectors.export_ready_for_user(request.user, payload.get("id"))
    if export is None:
        raise Http404
    filename = f"masterbus-export-{export.finished_at:%Y-%m-%d}.zip"
    return stored_file_response(request, export.file, filename=filename, as_attachment=True)


@access.signed_in
@reauthentication_required(allow_get=True, enabled=lambda r: not r.user.has_usable_password())
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        account_delete(user=user)
        logout(request)
        return render(request, "rights/account_deleted.html", {"email": user.email})
    return render(
        request,
        "rights/delete_account.html",
        {"form": form, "purge_days": settings.ACCOUNT_PURGE_DAYS},
    )


@access.public
@require_http_methods(["GET", "POST"])
def rights_request(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    form = RightsRequestForm(request.POST or None, initial={"email": user.email if user else ""})
    if request.method == "POST" and form.is_valid():
        rights_request_create(
            kind=form.cleaned_data["kind"],
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
            user=user,
        )
        return redirect("rights:request_sent")
    return render(
        request,
        "rights/request.html",
        {"form": form, "due_days": settings.RIGHTS_REQUEST_DUE_DAYS},
    )


@access.public
@require_GET
def rights_request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "rights/request_sent.html", {"due_days": settings.RIGHTS_REQUEST_DUE_DAYS}
    )
