"""Messaging pages (thin): posting to a thread, the notification history, e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masterbus.core import access
from masterbus.messaging import selectors, subjects
from masterbus.messaging.errors import MessagingError
from masterbus.messaging.forms import EmailPreferencesForm, MessageForm
from masterbus.messaging.models import Notification
from masterbus.messaging.services.notifications import (
    email_preferences_set,
    notification_mark_read,
    notifications_mark_all_read,
)
from masterbus.messaging.services.threads import message_post, thread_mark_read

HISTORY_PAGE = 100
INBOX_PAGE = 100


@access.signed_in
@require_POST
def post(request: HttpRequest, thread_id) -> HttpResponse:
    """Post to a thread the user takes part in (404 for anyone else), then back to ``next``."""
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    back = _next(request, subjects.url_for(thread.subject_type, thread.subject_id))
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        message_post(thread=thread, author=request.user, body=form.cleaned_data["body"])
    except MessagingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Message sent.")
    return redirect(back)


@access.signed_in
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Every conversation of the user, most recent first, each linked to its subject's page."""
    threads = [
        {
            "thread": thread,
            "label": subjects.label_for(thread.subject_type),
            "url": subjects.url_for(thread.subject_type, thread.subject_id),
        }
        for thread in selectors.threads_for(request.user)[:INBOX_PAGE]
    ]
    return render(request, "messaging/inbox.html", {"threads": threads, "shown": INBOX_PAGE})


@access.signed_in
@require_GET
def thread_open(request: HttpRequest, thread_id) -> HttpResponse:
    """Go to the thread's subject page, counting the thread as read (the inbox links here)."""
    thread = selectors.thread_get(user=request.user, thread_id=thread_id)
    thread_mark_read(thread=thread, user=request.user)
    return redirect(subjects.url_for(thread.subject_type, thread.subject_id) or "messaging:inbox")


@access.signed_in
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    history = selectors.notifications_for(request.user)
    return render(
        request,
        "messaging/notifications.html",
        {
            "notifications": history[:HISTORY_PAGE],
            "unread": selectors.unread_count(request.user),
            "total": history.count(),
            "shown": HISTORY_PAGE,
        },
    )


@access.signed_in
@require_POST
def notification_open(request: HttpRequest, notification_id) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = get_object_or_404(Notification, user=request.user, pk=notification_id)
    notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("messaging:notifications")
    return redirect(target)


@access.signed_in
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("messaging:notifications")


@access.signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.email_preferences(request.user)
    form = EmailPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        email_preferences_set(user=request.user, enabled=form.chosen())
        messages.success(request, "Your e-mail preferences are saved.")
        return redirect("messaging:preferences")
    return render(request, "messaging/preferences.html", {"form": form})


def _next(request: HttpRequest, fallback: str) -> str:
    """A ``next`` on this site, else ``fallback``, else the notification history."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback or "/notifications/"
