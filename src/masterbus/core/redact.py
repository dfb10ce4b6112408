"""Secrets out of the logs: credentials carried in URLs are replaced by ``[redacted]``.

A signed file or export link, the one-click unsubscribe link, allauth's password-reset and
email-confirmation keys are credentials in the URL path; an OAuth callback carries its code and
state in the query string. Every log line that may hold a URL goes through ``redact``:
gunicorn's access log (``masterbus.config.access_log.RedactingLogger``, the request line, path,
query, Referer and every other atom) and Django's logging (``RedactSecretsFilter`` on
``django.request`` and on the console handler, see LOGGING in the settings). The secret is also
found percent-encoded, as in ``/accounts/login/?next=%2Ffiles%2F<token>``.

``SECRET_PATHS`` lists the URL prefixes whose next path segment is a credential; a test walks
every URL pattern declared ``signed_link`` or ``keyed_link`` (and allauth's keyed URLs) and fails
when one is missing here. No Django import: gunicorn's master process loads this module.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# URL prefixes (below the site root) whose next segment is a credential.
SECRET_PATHS = (
    "files/",  # mastering:file, core.links
    "settings/data/export/",  # rights:export_download
    "profile/unsubscribe/",  # profiles:unsubscribe
    "accounts/password/reset/key/",  # allauth: <uidb36>-<key>
    "accounts/confirm-email/",  # allauth: <key>
    "orders/file/",  # orders:file (an order's files, signed for one person)
    "studios/bookings/files/",  # studios:session_file
    "studios/feeds/room/",  # studios:room_feed (<token>.ics, fetched by calendar apps)
    "studios/feeds/bookings/",  # studios:user_feed
)
# Query parameters that are credentials (OAuth callbacks: code and state).
SECRET_PARAMETERS = ("code", "state", "token", "key")
# Pages under a secret prefix that are not secrets themselves.
NOT_SECRET = ("done",)

_SLASH = r"(?:/|%2[Ff])"
_SEGMENT = r"(?:(?!%2[Ff])[^/?&#\s\"'])+"  # up to the next slash (plain or encoded), ? & # "
_PATH = re.compile(
    rf"(?P<prefix>{_SLASH}(?:"
    + "|".join(re.escape(prefix).replace("/", _SLASH) for prefix in SECRET_PATHS)
    + rf"))(?!(?:{'|'.join(NOT_SECRET)})(?:{_SLASH}|[\s\"?]|$)){_SEGMENT}"
)
_PARAMETER = re.compile(
    rf"(?P<prefix>(?:[?&]|%3[Ff]|%26)(?:{'|'.join(SECRET_PARAMETERS)})(?:=|%3[Dd]))[^&#\s\"]+"
)


def redact(text: str) -> str:
    """``text`` with every URL credential replaced by ``[redacted]``."""
    if "/" not in text and "%2" not in text and "=" not in text:
        return text
    text = _PATH.sub(lambda match: match["prefix"] + REDACTED, text)
    return _PARAMETER.sub(lambda match: match["prefix"] + REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter that rewrites the record's message with ``redact`` (never drops it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
