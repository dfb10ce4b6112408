"""Money and local times for the studio pages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import template
from django.utils.dateformat import format as date_format

from masterbus.payments.money import format_money

register = template.Library()


@register.simple_tag
def money(amount: int, currency: str) -> str:
    return format_money(amount, currency)


@register.simple_tag
def line_total(line: dict, currency: str) -> str:
    return format_money(line["amount"] * line["quantity"], currency)


@register.simple_tag
def balance(total: int, paid: int, currency: str) -> str:
    return format_money(total - paid, currency)


@register.simple_tag
def local(moment: dt.datetime, zone: str, pattern: str = "D j M Y, H:i") -> str:
    """An instant as wall-clock time in the named zone."""
    return date_format(moment.astimezone(ZoneInfo(zone)), pattern)


@register.filter
def duration(minutes: float | int | None) -> str:
    """Minutes as the pages write lengths: '3 h', '1 h 30 min', '45 min'."""
    if minutes is None:
        return ""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
