"""`{% thread_parts thread as t %}` (the messages and the post form of ``_thread.html``) and
`{% unread_notifications as n %}` (the header's count)."""

from __future__ import annotations

from django import template

from masterbus.messaging import selectors
from masterbus.messaging.forms import MessageForm

register = template.Library()


@register.simple_tag
def thread_parts(thread) -> dict:
    return {"messages": selectors.thread_messages(thread), "form": MessageForm()}


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user)
