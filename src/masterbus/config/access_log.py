"""gunicorn's access log without secrets: ``masterbus serve`` starts gunicorn with
``--logger-class masterbus.config.access_log.RedactingLogger`` (pass the same option when
running gunicorn directly). Every atom of a line (request line, path, query, Referer, headers)
goes through ``masterbus.core.redact.redact``, whatever ``--access-logformat`` is in use."""

from __future__ import annotations

from gunicorn.glogging import Logger

from masterbus.core.redact import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
