"""The one exception to "forms post only here" (P21): a page with a pay form.

Its form posts to this site, which redirects to the hosted checkout page; browsers hold that
redirect to the page's ``form-action`` too. So only such a page's policy adds the checkout
origin (Stripe's, or the local test server's), not every page's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings


def checkout_policy() -> str:
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    policy["form-action"] = [*policy["form-action"], settings.PAYMENTS_CHECKOUT_ORIGIN]
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


def allows_checkout(view: Callable) -> Callable:
    """Decorate the view of a page holding a pay form (put it under the access declaration)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = checkout_policy()
        return response

    return wrapped
