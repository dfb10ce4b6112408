"""`masterbus manage marketing_send --subject ... --body-file ...`: news to opted-in users only
(P25), each message with its one-click unsubscribe link."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masterbus.profiles.services import marketing_send


class Command(BaseCommand):
    help = "Send a marketing email to every user who opted in, with a one-click unsubscribe link."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--subject", required=True)
        parser.add_argument("--body-file", required=True, type=Path, help="plain-text body")

    def handle(self, *args, subject: str, body_file: Path, **options) -> None:
        try:
            body = body_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read the body from {body_file}: {exc}") from None
        if not subject.strip() or not body.strip():
            raise CommandError("the subject and the body must not be empty")
        sent = marketing_send(subject=subject.strip(), body=body)
        self.stdout.write(f"sent to {sent} opted-in users")
