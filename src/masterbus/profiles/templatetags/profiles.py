"""Template tags for the base layout: the theme on <html> and the policy-change notice."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from masterbus.profiles import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def theme_attrs(context) -> str:
    """`data-theme` on <html>: the site stylesheet colours the page from it, no script needed."""
    return format_html('data-theme="{}"', selectors.theme_for(context["request"]))


@register.inclusion_tag("profiles/_notice.html", takes_context=True)
def policy_notice(context) -> dict:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "change": selectors.policy_change_notice(request),
    }
