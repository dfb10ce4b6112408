"""Support pages (thin): a user's tickets (P26) and the support team's queue (staff, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.messaging import selectors
from masterbus.messaging.errors import MessagingError
from masterbus.messaging.forms import MessageForm, TicketForm
from masterbus.messaging.models import SupportTicket
from masterbus.messaging.services import support
from masterbus.messaging.services.threads import thread_mark_read
from masterbus.rights.audit import audit_record
from masterbus.rights.models import AuditAction

ANSWER = "messaging.answer_supportticket"
QUEUE_PAGE = 200


@access.guest_or_user
@require_http_methods(["GET", "POST"])
def support_home(request: HttpRequest) -> HttpResponse:
    """Guests are asked to sign in; a user sees their tickets and opens a new one."""
    if not request.user.is_authenticated:
        return render(request, "messaging/support.html", {"form": None, "tickets": []})
    form = TicketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = support.ticket_open(
                user=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except MessagingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your ticket is open. We answer here and by e-mail.")
            return redirect("messaging:ticket", ticket_id=ticket.pk)
    return render(
        request,
        "messaging/support.html",
        {"form": form, "tickets": SupportTicket.objects.filter(user=request.user)},
    )


@access.signed_in
@require_GET
def ticket(request: HttpRequest, ticket_id) -> HttpResponse:
    found = get_object_or_404(SupportTicket.objects.filter(user=request.user), pk=ticket_id)
    thread_mark_read(thread=found.thread, user=request.user)
    return render(request, "messaging/ticket.html", {"ticket": found, "thread": found.thread})


@access.staff
@staff_member_required
@permission_required(ANSWER)
@require_GET
def support_queue(request: HttpRequest) -> HttpResponse:
    """Open tickets first, oldest first: the next one to answer is on top."""
    tickets: QuerySet[SupportTicket] = SupportTicket.objects.order_by("status", "created_at")
    return render(request, "messaging/staff_queue.html", {"tickets": tickets[:QUEUE_PAGE]})


@access.staff
@staff_member_required
@permission_required(ANSWER)
@require_http_methods(["GET", "POST"])
def staff_ticket(request: HttpRequest, ticket_id) -> HttpResponse:
    """Read and answer one ticket; reading is audited too (it is someone's personal data)."""
    found = get_object_or_404(SupportTicket, pk=ticket_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support.ticket_answer(
                ticket=found, staff_user=request.user, body=form.cleaned_data["body"]
            )
        except MessagingError as exc:
            form.add_error("body", exc.message)
        else:
            audit_record(
                actor=request.user,
                action=AuditAction.ACTION,
                objects=[found],
                action_name="answer ticket",
            )
            messages.success(request, "Answer sent.")
            return redirect("messaging:staff_ticket", ticket_id=found.pk)
    if request.method == "GET":
        audit_record(
            actor=request.user,
            action=AuditAction.ACTION,
            objects=[found],
            action_name="read ticket",
        )
    return render(
        request,
        "messaging/staff_ticket.html",
        {"ticket": found, "messages_list": selectors.thread_messages(found.thread), "form": form},
    )


@access.staff
@staff_member_required
@permission_required(ANSWER)
@require_POST
def staff_ticket_close(request: HttpRequest, ticket_id) -> HttpResponse:
    found = get_object_or_404(SupportTicket, pk=ticket_id)
    if support.ticket_close(ticket=found):
        audit_record(
            actor=request.user,
            action=AuditAction.ACTION,
            objects=[found],
            action_name="close ticket",
        )
        messages.success(request, "Ticket closed.")
    return redirect("messaging:support_queue")
