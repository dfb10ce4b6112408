"""The embedded default's task queue without a polling gap: enqueueing wakes the workers.

django_tasks_db's worker sleeps its poll interval whenever the queue is empty, so a job queued
just after it looked waited up to that long. Here every waiting `masterbus worker` listens on
a loopback UDP port, registered as a file ``<pid>-<port>`` under ``DATA_DIR/run/workers``;
the backend sends each registered worker one datagram once an enqueued task is committed
(``ring``). Any process that enqueues (web server, sweeper, CLI) rings; a datagram that
arrives while the worker is busy waits in its socket, so no wake-up is lost. The poll interval
stays as a safety net (a datagram is best-effort), and a worker that was SIGKILLed leaves a
file that the next ring removes (its pid is gone).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "run" / "workers"


def ring() -> None:
    """Wake every registered worker (after the current transaction commits)."""
    transaction.on_commit(_ring_now)


def _ring_now() -> None:
    try:
        entries = list(_folder().iterdir())
    except OSError:
        return  # no worker has registered yet: they poll when they start
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        for entry in entries:
            pid, _, port = entry.name.partition("-")
            if not (pid.isdigit() and port.isdigit()):
                continue
            if not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    entry.unlink()
                continue
            with contextlib.suppress(OSError):
                sock.sendto(b"!", ("127.0.0.1", int(port)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WakingDatabaseBackend(DatabaseBackend):
    """django_tasks_db's backend that rings the workers for every task it queues."""

    def enqueue(self, task, args, kwargs):
        result = super().enqueue(task, args, kwargs)
        ring()
        return result


class Bell:
    """A worker's loopback socket and its registration file."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True)
        self.entry = folder / f"{os.getpid()}-{self.sock.getsockname()[1]}"
        self.entry.touch()

    def wait(self, timeout: float) -> None:
        """Return when rung or after ``timeout`` seconds; every pending ring is consumed."""
        select.select([self.sock], [], [], timeout)
        with contextlib.suppress(BlockingIOError):
            while True:
                self.sock.recv(16)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.entry.unlink()
        self.sock.close()


def run(*, interval: float, queue_name: str = "default") -> None:
    """Run queued tasks until SIGTERM/SIGINT: all that are ready, then wait for a ring.

    The library's worker in batch mode runs every ready task and returns; between batches
    this waits on the bell instead of sleeping out the interval.
    """
    from django_tasks_db.management.commands.db_worker import Worker  # needs the apps loaded

    logging.getLogger("django_tasks_db").setLevel(logging.WARNING)  # a line per batch is noise
    worker = Worker(
        queue_names=[queue_name],
        interval=interval,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
        excluded_queue_names=[],
    )
    bell = Bell()  # registered before the first look at the queue: no ring can fall between
    try:
        worker.configure_signals()
        while worker.running:
            worker.run()
            if worker.running:
                bell.wait(interval)
    finally:
        bell.close()
