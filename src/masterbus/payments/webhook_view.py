"""The webhook intake: the provider POSTs signed events here, with no browser and no CSRF token.

Its own module so the CSRF walk (tests/privacy/test_csrf.py) can exempt exactly this view: the
signature is the credential (P19), and an event only names a payment whose state is then read
back from the provider.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masterbus.core import access
from masterbus.payments import provider
from masterbus.payments.errors import ProviderUnavailable
from masterbus.payments.services.webhooks import event_receive

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 256 * 1024  # Stripe's events are a few kB


@access.public  # the signature is the credential (P19): a bad one is refused, nothing changes
@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if int(request.headers.get("Content-Length") or 0) > MAX_WEBHOOK_BYTES:
        return HttpResponse("Too large", status=413, content_type="text/plain")
    try:
        event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except (provider.SignatureError, ValueError):
        logger.warning("payment webhook refused: bad signature or payload")
        return HttpResponseBadRequest("Invalid signature", content_type="text/plain")
    except ProviderUnavailable:  # the provider retries the event later
        return HttpResponse("Try again", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
