from django import template

from masterbus.payments.money import format_money

register = template.Library()


@register.simple_tag
def money(amount_minor: int | None, currency: str) -> str:
    """{% money payment.amount payment.currency %} → €12.50"""
    return "—" if amount_minor is None else format_money(amount_minor, currency)
