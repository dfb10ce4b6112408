from django import template

from masterbus.payments.money import format_money
from masterbus.payments.purposes import title_of

register = template.Library()


@register.simple_tag
def money(amount_minor: int | None, currency: str) -> str:
    """{% money payment.amount payment.currency %} → €12.50"""
    return "—" if amount_minor is None else format_money(amount_minor, currency)


@register.simple_tag
def paid_for(payment) -> str:
    """{% paid_for payment %} → the order's title (or the purpose when its app names none)."""
    return title_of(payment)
