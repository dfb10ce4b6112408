"""Template filters of the course pages."""

from __future__ import annotations

from django import template

from masterbus.payments.money import format_money

register = template.Library()


@register.filter
def course_price(course) -> str:
    """ "Free", or the price in the course's currency."""
    return "Free" if course.is_free else format_money(course.price, course.currency)
