"""Session files in a booking (thin): share finished uploads, fetch the other party's files
behind a signed link made for one person (P15, P18)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core import links as core_links
from masterbus.core.errors import DomainError
from masterbus.core.files import stored_file_response
from masterbus.studios import selectors
from masterbus.studios.models import SessionFile
from masterbus.studios.services.session_files import session_files_add

KIND = "session"


def session_file_url(session_file: SessionFile, user) -> str:
    token = core_links.sign({"k": KIND, "id": session_file.pk, "u": str(user.pk)})
    return reverse("studios:session_file", args=[token])


def session_files_for(booking, user) -> list[dict]:
    """The booking's files for one of its parties, each with a link made for that person."""
    return [
        {"file": f, "url": session_file_url(f, user), "mine": f.uploader_id == user.pk}
        for f in booking.session_files.all()
    ]


@access.signed_in
@require_POST
def session_files_upload(request: HttpRequest, booking_id) -> HttpResponse:
    """The client or the studio's owner shares their finished uploads (anyone else: 404)."""
    found = selectors.booking_for_party(request.user, booking_id)
    if found is None:
        raise Http404
    ids = request.POST.getlist("upload_ids")[:100]
    try:
        added = session_files_add(booking=found, user=request.user, upload_ids=ids)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(added)} file(s) shared with the other side.")
    return redirect("studios:booking", booking_id=found.pk)


@access.signed_link
@require_GET
def session_file(request: HttpRequest, token: str) -> HttpResponse:
    """A session file behind a link made for one person: served to that person only, while
    they are still the booking's client or the studio's owner."""
    payload = core_links.unsign(token, max_age=settings.FILE_LINK_MAX_AGE)
    if payload is None or payload.get("k") != KIND:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if payload.get("u") != str(request.user.pk):
        raise Http404
    row = SessionFile.objects.filter(pk=payload.get("id")).first()
    if row is None or selectors.booking_for_party(request.user, row.booking_id) is None:
        raise Http404
    return stored_file_response(request, row.stored_name, filename=row.name, as_attachment=True)
