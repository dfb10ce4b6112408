"""Booking benchmark: concurrent clients booking one room through the JSON API, p95 latency, and
a check that the no-double-booking rule held under the load.

Run with ``.venv/bin/python bench/booking_bench.py``. It starts ``masterbus serve`` (what
``make run`` runs; SQLite, or PostgreSQL when ``DATABASE_URL`` is set) on a free port with a
throwaway data directory, makes one studio with one room open round the clock (15 min buffer),
and lets 50 clients (each its own 18+ account, token and keep-alive connection) post
``POST /api/v1/bookings`` back to back for 2-hour slots at random hours of the next 7 days, so
most attempts collide. It prints the latency of answers (201 booked, 409 taken) and then reads
every booking back: no two of the room may overlap (buffer included).

Exit status 1 when an overlap is found, or an answer is neither 201 nor 409.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CLIENTS = 50
REPO = Path(__file__).resolve().parents[1]
SERVER_ENV = {  # the bench measures booking, not the per-client bounds
    "BOOKING_MAX_PENDING_PER_CLIENT": "1000000",
    "RATE_LIMIT_API_TOKEN": "1000000/m",
    "RATE_LIMIT_API_IP": "1000000/m",
    "MASTERBUS_LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_world(data_dir: Path, clients: int) -> tuple[str, list[str]]:
    """The room and one token per client, made through the services on the bench database."""
    os.environ["MASTERBUS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterbus.config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    from masterbus.accounts.models import User
    from masterbus.api.services import token_create
    from masterbus.studios.services.age import adult_confirm
    from masterbus.studios.services.studios import (
        hours_set,
        room_create,
        studio_apply,
        studio_approve,
    )

    data_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    owner = User.objects.create_user("owner@bench.local", "x" * 20)
    staff = User.objects.create_superuser("staff@bench.local", "x" * 20)
    studio = studio_apply(
        owner=owner, name="Bench", city="Berlin", address="-", time_zone="Europe/Berlin"
    )
    studio_approve(staff_user=staff, studio=studio)
    hours_set(studio=studio, week={day: [(dt.time(0), dt.time(0))] for day in range(7)})
    room = room_create(studio=studio, name="Room", hourly_rate=5000, buffer_minutes=15)
    tokens = []
    for n in range(clients):
        user = User.objects.create_user(f"c{n}@bench.local", "x" * 20)
        adult_confirm(user=user, born=dt.date(1990, 1, 1))
        tokens.append(token_create(user=user, name="bench")[1])
    return str(room.pk), tokens


def starts(days: int) -> list[str]:
    """Every whole UTC hour from tomorrow on for ``days`` days."""
    first = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(
        minute=0, second=0, microsecond=0
    )
    return [(first + dt.timedelta(hours=h)).isoformat() for h in range(days * 24)]


def client_loop(port, room_id, token, hours, stop_at, out, statuses, errors) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    pick = random.Random(token)
    while time.monotonic() < stop_at:
        body = json.dumps({"room_id": room_id, "start": pick.choice(hours), "hours": 2})
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/bookings", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(repr(exc))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append((time.perf_counter() - started) * 1000)
        statuses.append(response.status)
    conn.close()


def overlaps() -> int:
    """Blocking bookings of a room that start before an earlier one's block ends, read back
    from the database (sorted by start, against the latest block end seen so far)."""
    from masterbus.studios.models import BLOCKING, Booking

    rows = Booking.objects.filter(status__in=BLOCKING).order_by("room_id", "starts_at")
    found, room, blocked = 0, None, None
    for booking in rows.only("room_id", "starts_at", "blocked_until"):
        if booking.room_id == room and booking.starts_at < blocked:
            found += 1
        if booking.room_id != room or booking.blocked_until > blocked:
            room, blocked = booking.room_id, booking.blocked_until
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masterbus-booking-bench-") as tmp:
        data_dir = Path(tmp)
        room_id, tokens = make_world(data_dir, args.clients)
        port = free_port()
        env = dict(os.environ, MASTERBUS_DATA_DIR=str(data_dir), **SERVER_ENV)
        serve = subprocess.Popen(
            [sys.executable, "-m", "masterbus.config.launcher", "serve", "--port", str(port)],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("masterbus serve did not start") from None
                    time.sleep(0.2)
            latencies: list[float] = []
            statuses: list[int] = []
            errors: list[str] = []
            stop_at = time.monotonic() + args.seconds
            hours = starts(args.days)
            threads = [
                threading.Thread(
                    target=client_loop,
                    args=(port, room_id, token, hours, stop_at, latencies, statuses, errors),
                )
                for token in tokens
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            serve.send_signal(signal.SIGINT)
            serve.wait(timeout=60)
        ordered = sorted(latencies)

        def pct(q: float) -> float:
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        counts = {code: statuses.count(code) for code in sorted(set(statuses))}
        print(f"load average {os.getloadavg()[0]:.2f} (2 cores); {args.clients} clients, one room")
        print(
            f"{len(ordered)} booking attempts in {args.seconds:.0f} s "
            f"({len(ordered) / args.seconds:.0f}/s); latency ms p50 {pct(0.5):.1f}  "
            f"p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}  max {ordered[-1]:.1f}  "
            f"mean {statistics.fmean(ordered):.1f}; answers {counts}; "
            f"connection errors {len(errors)}"
        )
        found = overlaps()
    unexpected = sum(n for code, n in counts.items() if code not in (201, 409))
    verdict = "PASS" if found == 0 and unexpected == 0 else "FAIL"
    print(
        f"{verdict}: {counts.get(201, 0)} bookings, {found} overlapping, {unexpected} other answers"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
