"""Template tags for the base layout: the consent state on <html> and the consent banner."""

from __future__ import annotations

import json

from django import template
from django.http import HttpRequest
from django.utils.html import format_html

from masterbus.privacy.consent import Consent, read_consent
from masterbus.privacy.cookies import storage_items

register = template.Library()


def _consent(request: HttpRequest) -> Consent:
    return getattr(request, "consent", None) or read_consent(request)


@register.simple_tag(takes_context=True)
def consent_attrs(context) -> str:
    """`data-consent-functional` on <html>: our scripts keep optional storage only if granted."""
    state = "granted" if _consent(context["request"]).functional else "denied"
    return format_html('data-consent-functional="{}"', state)


@register.inclusion_tag("privacy/_banner.html", takes_context=True)
def consent_banner(context) -> dict:
    """The banner (until a choice is made) and the script that removes storage not allowed."""
    request = context["request"]
    consent = _consent(request)
    forget = [
        {"where": item.where, "name": item.name, "prefix": item.prefix}
        for item in storage_items()
        if item.where != "cookie" and not consent.allows(item.category)
    ]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "show": not consent.asked,
        "forget": json.dumps(forget),
    }
