"""`masterbus serve`, `masterbus worker` and `masterbus manage`.

``serve`` is the embedded default in one command: it migrates the database, then runs the web
server, a background worker and the periodic jobs as child processes, and stops them all on
Ctrl-C. The web server is gunicorn with threaded workers (gthread): a real pre-fork WSGI server
from PyPI that streams request bodies to the view (tus chunks go to disk as they arrive, never
whole into memory), serves other requests while a long upload is in flight, restarts a crashed
worker process, and is what the scale-out deployment runs too. Our views are synchronous Django
code, so an ASGI server would only run them in a thread pool; WSGI keeps one simple model.

A background worker that dies (the kernel's OOM killer sends SIGKILL) is started again with
exponential back-off while the web server keeps serving; its job's lease expires and the sweeper
queues the job again. If the web server itself stops, everything stops.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time

DEFAULT_SETTINGS = "masterbus.config.settings.local"
STOP_TIMEOUT_S = 20.0
# A dead worker is restarted after 1 s, then 2, 4 ... up to 60 s while it keeps dying; one that
# ran this long before dying counts as stable, and its next restart waits 1 s again.
RESTART_FIRST_DELAY_S = 1.0
RESTART_MAX_DELAY_S = 60.0
RESTART_STABLE_AFTER_S = 60.0


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def manage(argv: list[str]) -> int:
    """Run a Django management command, e.g. ``masterbus manage createsuperuser``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masterbus manage", *argv])
    return 0


def worker(argv: list[str]) -> int:
    """Run queued tasks (and, unless --no-periodic, the periodic jobs) until stopped."""
    parser = argparse.ArgumentParser(prog="masterbus worker")
    parser.add_argument("--no-periodic", action="store_true", help="do not run periodic jobs")
    parser.add_argument(
        "--interval", type=float, default=0.5, help="queue poll interval (s) when no ring comes"
    )
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    from masterbus.config import periodic

    stop = threading.Event()
    if not args.no_periodic:
        periodic.start_thread(stop)
    threading.Thread(target=_warm_engine, name="masterbus-warm", daemon=True).start()
    try:
        if settings.REDIS_URL:
            call_command(
                "rqworker",
                "default",
                worker_class="masterbus.config.rq_worker.InProcessWorker",
                job_class="django_tasks_rq.Job",
            )
        else:
            from masterbus.config import db_worker
            from masterbus.mastering import tasks  # noqa: F401  loaded before the first job

            db_worker.run(interval=args.interval)
    finally:
        stop.set()
    return 0


def _warm_engine() -> None:
    """Load the engine and its compiled kernels while the worker waits for its first job."""
    from masterbus.engine.warmup import warm_process

    try:
        warm_process()
    except Exception:  # a worker that could not warm up still works, only its first job is slower
        logging.getLogger(__name__).exception("warming the engine failed")


def serve(argv: list[str]) -> int:
    """Migrate, then run web server + worker + periodic jobs until Ctrl-C (or SIGTERM)."""
    parser = argparse.ArgumentParser(prog="masterbus serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="background worker processes")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)

    web = [
        sys.executable, "-m", "gunicorn", "masterbus.config.wsgi:application",
        "--bind", f"{args.host}:{args.port}",
        "--worker-class", "gthread",
        "--workers", str(args.web_processes),
        "--threads", str(args.threads),
        "--timeout", "300",
        "--graceful-timeout", "10",
        "--no-control-socket",  # one fixed path in $HOME would clash between instances
        "--access-logfile", "-",
        "--logger-class", "masterbus.config.access_log.RedactingLogger",  # no secrets in it
    ]  # fmt: skip
    tasks = [sys.executable, "-m", "masterbus.config.launcher", "worker"]
    # No STRIPE_SECRET_KEY: payments go to our local test server (no real money), started first
    # so the web server and workers inherit its address and webhook secret.
    payments = (
        _payments_test_server(args.host, args.port) if settings.PAYMENTS_TEST_SERVER else None
    )
    server = _spawn(web)
    workers = [
        _Restarting(f"worker {i + 1}", tasks if i == 0 else [*tasks, "--no-periodic"])
        for i in range(args.workers)
    ]

    stopping = threading.Event()

    def request_stop(_signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(f"Masterbus is running at http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    status = 0
    while not stopping.wait(0.2):
        if server.poll() is not None:
            print("The web server stopped unexpectedly; stopping the rest.", file=sys.stderr)
            status = 1
            break
        for child in workers:
            child.watch()
    _stop_all([server, *(child.process for child in workers), *filter(None, [payments])])
    print("Masterbus stopped.", flush=True)
    return status


class _Restarting:
    """A child process started again whenever it dies, with exponential back-off."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.command = command
        self.delay = RESTART_FIRST_DELAY_S
        self.restart_at: float | None = None
        self._start()

    def _start(self) -> None:
        self.process = _spawn(self.command)
        self.started = time.monotonic()

    def watch(self) -> None:
        """Called often: notice a death, and restart once the back-off has passed."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self._start()
                print(f"Masterbus {self.name} restarted (pid {self.process.pid}).", flush=True)
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self.started >= RESTART_STABLE_AFTER_S:
            self.delay = RESTART_FIRST_DELAY_S
        how = f"was killed by {_signal_name(-code)}" if code < 0 else f"exited with status {code}"
        print(
            f"Masterbus {self.name} (pid {self.process.pid}) {how}; "
            f"restarting it in {self.delay:g} s.",
            file=sys.stderr,
            flush=True,
        )
        self.restart_at = now + self.delay
        self.delay = min(self.delay * 2, RESTART_MAX_DELAY_S)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _payments_test_server(host: str, port: int) -> subprocess.Popen:
    """masterbus.payments.testserver on a free port, its address and a fresh webhook secret in
    the environment the other children inherit (STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET)."""
    import secrets
    import socket

    local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    with socket.socket() as sock:
        sock.bind((local, 0))
        payments_port = sock.getsockname()[1]
    os.environ["STRIPE_API_BASE"] = f"http://{local}:{payments_port}"
    os.environ.setdefault("STRIPE_WEBHOOK_SECRET", f"whsec_{secrets.token_hex(24)}")
    command = [
        sys.executable, "-m", "masterbus.payments.testserver", "--host", local,
        "--port", str(payments_port), "--webhook-url", f"http://{local}:{port}/payments/webhook/",
    ]  # fmt: skip
    return _spawn(command)  # it prints its own address, marked "no real money"


def _spawn(command: list[str]) -> subprocess.Popen:
    # A session of its own: Ctrl-C reaches only this supervisor, which stops children in order.
    return subprocess.Popen(command, start_new_session=True, env=os.environ.copy())


def _stop_all(children: list[subprocess.Popen]) -> None:
    """SIGTERM every child, wait, then SIGKILL stragglers (a killed job is re-run: leases)."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


COMMANDS = {"serve": serve, "worker": worker, "manage": manage}

if __name__ == "__main__":
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
