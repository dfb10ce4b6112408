"""System checks: production never runs on the local test payment server (it takes any card)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def check_payments_deploy(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    if settings.PAYMENTS_TEST_SERVER:
        errors.append(
            Error(
                "Payments run on the local test server (no real money); set "
                "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for production.",
                id="payments.E001",
            )
        )
    if settings.STRIPE_SECRET_KEY and not settings.STRIPE_WEBHOOK_SECRET:
        errors.append(
            Error(
                "STRIPE_WEBHOOK_SECRET is not set: every webhook would be refused.",
                id="payments.E002",
            )
        )
    return errors


@register()
def check_payments_settings(app_configs=None, **kwargs) -> list[Error]:
    from masterbus.payments.errors import UnknownFeeRule
    from masterbus.payments.money import fee_percent

    errors = []
    for rule in settings.PAYMENTS_FEE_RULES:
        try:
            fee_percent(rule)
        except (UnknownFeeRule, ArithmeticError, ValueError):
            errors.append(
                Error(
                    f"PAYMENTS_FEE_RULES[{rule!r}] is not a percent from 0 to 100",
                    id="payments.E003",
                )
            )
    return errors
