"""A running job's lease: renewed by a heartbeat thread that also records the engine's progress.

Only the worker holding the lease (a token and an expiry on the job row) works on the job; a
worker that stops renewing it (killed, hung) loses the job to the sweeper, which queues it again.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from masterbus.mastering.models import Job, JobStatus

logger = logging.getLogger(__name__)

# A beat that finds the database busy gives up after this long and tries again at the next beat.
BEAT_WAIT_MS = 1000
# Engine stages shown as "analysing"; every later stage is "mastering".
ANALYSIS_STAGES = ("starting", "reading", "analysing", "analysing album")


class LeaseLost(Exception):
    """The job was deleted (or its lease taken over) while this worker was mastering it."""


class Heartbeat:
    """Renews the lease and records progress from the engine's callback, from its own thread.

    When the renewal finds the lease gone, the next progress callback stops the engine.
    """

    def __init__(self, job_id, token: str) -> None:
        self.job_id = job_id
        self.token = token
        self.fraction = 0.0
        self.stage = "starting"
        self.lost = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"lease-{job_id}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._thread.join()

    def progress(self, fraction: float, stage: str) -> None:
        if self.lost:
            raise LeaseLost
        self.fraction = min(max(float(fraction), 0.0), 1.0)
        self.stage = str(stage)[:64]

    def _run(self) -> None:
        interval = max(settings.JOB_LEASE_SECONDS / 6, 0.2)
        try:
            while not self._stopped.wait(min(interval, 0.5)):
                analysing = self.stage in ANALYSIS_STAGES
                status = JobStatus.ANALYSING if analysing else JobStatus.MASTERING
                try:
                    _bound_lock_waits()
                    renewed = Job.objects.filter(pk=self.job_id, lease_token=self.token).update(
                        lease_expires_at=timezone.now()
                        + timedelta(seconds=settings.JOB_LEASE_SECONDS),
                        progress=self.fraction,
                        stage=self.stage,
                        status=status,
                    )
                except DatabaseError:  # busy or reconnecting: the lease outlasts a few beats
                    logger.warning("job %s: heartbeat not saved, retrying", self.job_id)
                    continue
                if not renewed:
                    self.lost = True
                    return
        finally:
            close_old_connections()


def _bound_lock_waits() -> None:
    """Let this thread's next statement wait at most ``BEAT_WAIT_MS`` for a lock.

    The connection's own timeout (20 s on SQLite) suits a request, not a heartbeat: the lease
    outlasts several beats, so a beat behind a long writer is better skipped than waited out,
    and the worker's ``stop()`` (at the end of every job) would wait with it.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {BEAT_WAIT_MS}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"SET lock_timeout = {BEAT_WAIT_MS}")
