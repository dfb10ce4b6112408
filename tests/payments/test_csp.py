"""Only a page with a pay form may send its form on to the hosted checkout page (P21)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from masterbus.payments.csp import allows_checkout


def test_a_pay_page_adds_the_checkout_origin_to_form_action_only(settings):
    settings.PAYMENTS_CHECKOUT_ORIGIN = "https://checkout.stripe.com"
    view = allows_checkout(lambda request: HttpResponse("pay"))
    header = view(RequestFactory().get("/"))["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["form-action"] == "'self' https://checkout.stripe.com"
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert settings.CONTENT_SECURITY_POLICY["form-action"] == ["'self'"]
