"""Staff review of assistant conversations (P36: logged for review): only staff holding the
"assistant_reviewer" role's permission, and every conversation opened is audited (P20)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masterbus.assistant.models import Conversation
from masterbus.core import access
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction

PERMISSION = "assistant.review_conversation"
PAGE = 100


def _reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


@access.staff
@staff_member_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    conversations = Conversation.objects.order_by("-updated_at")[:PAGE]
    return render(request, "assistant/review_list.html", {"conversations": conversations})


@access.staff
@staff_member_required
@require_GET
def review_detail(request: HttpRequest, conversation_id) -> HttpResponse:
    _reviewer(request)
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditAction.ACTION,
        objects=[conversation],
        action_name="assistant conversation reviewed",
    )
    return render(
        request,
        "assistant/review_detail.html",
        {"conversation": conversation, "turns": conversation.turns.all()},
    )
