"""``{{ user|public_name }}``: the only thing of a member the community pages show."""

from __future__ import annotations

from django import template

from masterbus.community.selectors import public_name as _public_name

register = template.Library()


@register.filter
def public_name(user) -> str:
    return _public_name(user)
