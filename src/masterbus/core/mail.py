"""E-mail from templates: every message the platform sends is rendered here, none is an f-string.

Like allauth's ``render_mail``: ``<prefix>_subject.txt`` (joined to one line),
``<prefix>_message.txt`` (the text body) and, if it exists, ``<prefix>_message.html`` (an HTML
alternative). Bodies are stripped of leading and trailing blank space. Text templates wrap
themselves in ``{% autoescape off %}``: a title such as "Rock & Roll" must not arrive as
"Rock &amp; Roll". Templates live in the sending app, under ``templates/<app>/email/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string


def render_templated_mail(
    *,
    template_prefix: str,
    context: Mapping[str, Any],
    to: Sequence[str],
    headers: Mapping[str, str] | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """The message, ready to send (from ``DEFAULT_FROM_EMAIL``)."""
    context = dict(context)
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    subject = " ".join(subject.splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=list(to),
        headers=dict(headers or {}),
        connection=connection,
    )
    try:
        html = render_to_string(f"{template_prefix}_message.html", context).strip()
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html, "text/html")
    return message


def send_templated_mail(
    *,
    template_prefix: str,
    context: Mapping[str, Any],
    to: Sequence[str],
    headers: Mapping[str, str] | None = None,
    connection=None,
) -> int:
    """Render and send one message; returns how many were sent (1). Sending errors propagate,
    as with Django's ``send_mail``: the caller decides whether to log, retry or give up."""
    return render_templated_mail(
        template_prefix=template_prefix,
        context=context,
        to=to,
        headers=headers,
        connection=connection,
    ).send()
