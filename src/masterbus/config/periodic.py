"""Periodic jobs: the job sweeper and the retention purges, run on a timer by the worker.

Each job is idempotent and cheap when there is nothing to do, so running it on every worker
(scale-out) or twice in a row is harmless.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _jobs() -> list[tuple[str, Callable[[], int]]]:
    from masterbus.accounts.services import guest_keys_retired_purge
    from masterbus.assistant.services.conversations import conversations_purge
    from masterbus.core.spent_tokens import spent_token_purge
    from masterbus.mastering.services.cleanup import guest_songs_purge
    from masterbus.mastering.services.queue import job_sweep
    from masterbus.messaging.services.notifications import notification_purge_expired
    from masterbus.orders.services.deliveries import delivery_previews_sweep
    from masterbus.orders.services.retention import order_sources_purge
    from masterbus.orders.services.workflow import order_auto_approve_due, order_unpaid_expire
    from masterbus.payments.services.earnings import earnings_transfer_due, payouts_run
    from masterbus.payments.services.retention import (
        payments_retention_anonymise,
        webhook_events_purge,
    )
    from masterbus.profiles.services import policy_change_notify
    from masterbus.rights.deletion import account_purge_due
    from masterbus.rights.exports import export_purge
    from masterbus.rights.rights_requests import rights_request_remind
    from masterbus.security.services import security_log_purge, sign_in_session_purge
    from masterbus.shop.services.downloads import download_events_purge
    from masterbus.shop.services.purpose import shop_earnings_release_due
    from masterbus.studios.services.bookings import booking_complete_due, booking_expire_due
    from masterbus.studios.services.reminders import booking_remind_due
    from masterbus.studios.services.retention import bookings_retention_anonymise
    from masterbus.studios.services.session_files import session_files_purge
    from masterbus.training.services.exercises import clips_purge
    from masterbus.uploads.services import upload_purge_expired

    return [
        ("job sweeper", job_sweep),
        ("guest purge", guest_songs_purge),
        ("retired guest key purge", guest_keys_retired_purge),
        ("deleted account purge", account_purge_due),
        ("data export purge", export_purge),
        ("rights request reminders", rights_request_remind),
        ("unfinished upload purge", upload_purge_expired),
        ("security log purge", security_log_purge),
        ("sign-in session purge", sign_in_session_purge),
        ("spent token purge", spent_token_purge),
        ("policy change emails", policy_change_notify),
        ("order auto-approval", order_auto_approve_due),
        ("unpaid order expiry", order_unpaid_expire),
        ("order preview sweep", delivery_previews_sweep),
        ("order source file purge", order_sources_purge),
        ("booking expiry", booking_expire_due),
        ("booking completion", booking_complete_due),
        ("booking reminders", booking_remind_due),
        ("session file purge", session_files_purge),
        ("notification history purge", notification_purge_expired),
        ("earning transfers", earnings_transfer_due),
        ("payouts", payouts_run),
        ("payment records anonymised", payments_retention_anonymise),
        ("booking records anonymised", bookings_retention_anonymise),
        ("webhook event purge", webhook_events_purge),
        ("shop seller shares released", shop_earnings_release_due),
        ("shop download event purge", download_events_purge),
        ("ear-training clip purge", clips_purge),
        ("assistant conversation purge", conversations_purge),
    ]


def run_once() -> dict[str, int]:
    """Run every periodic job once; one failing job does not stop the others."""
    done: dict[str, int] = {}
    for name, job in _jobs():
        try:
            done[name] = job()
        except Exception:
            logger.exception("periodic job %s failed", name)
    close_old_connections()
    return done


def start_thread(stop: threading.Event) -> threading.Thread:
    """Run the periodic jobs every PERIODIC_INTERVAL_SECONDS until ``stop`` is set."""

    def loop() -> None:
        while True:
            run_once()
            if stop.wait(settings.PERIODIC_INTERVAL_SECONDS):
                return

    thread = threading.Thread(target=loop, name="periodic", daemon=True)
    thread.start()
    return thread
