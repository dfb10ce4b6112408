"""Scale-out worker benchmark: mastering jobs per minute with 1 and 2 RQ worker processes.

Run with ``.venv/bin/python bench/worker_bench.py`` (needs ``pip install -e '.[dev,scaleout]'``).
It starts PostgreSQL, Redis and a moto S3 server with ``scripts/scaleout-services.sh`` under a
temporary folder, queues the same batch of songs for each worker count, and times the batch from
the first job's start to the last job's end (worker start-up is not counted). Printed as a table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICES = REPO / "scripts" / "scaleout-services.sh"
GUEST_KEY = "k" * 43


@contextlib.contextmanager
def scaleout_services(folder: Path) -> Iterator[None]:
    """Start the services and load their variables into this process's environment."""
    subprocess.run([str(SERVICES), "start", str(folder)], check=True, cwd=REPO)
    try:
        for line in (folder / "env").read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            os.environ[name] = value
        yield
    finally:
        subprocess.run([str(SERVICES), "stop", str(folder)], check=False, cwd=REPO)


def queue_batch(song: Path, jobs: int) -> list:
    from masterbus.accounts.owner import Owner
    from masterbus.mastering import services
    from masterbus.uploads.services import upload_append, upload_create

    owner = Owner(user=None, guest_key=GUEST_KEY)
    data = song.read_bytes()
    chosen = services.settings_from_form(target_lufs=-14, style="balanced", intensity=50)
    ids = []
    for _ in range(jobs):
        upload = upload_create(owner=owner, length=len(data), metadata={"filename": song.name})
        upload = upload_append(
            upload=upload, offset=0, stream=io.BytesIO(data), content_length=len(data)
        )
        job = services.song_create_from_upload(
            owner=owner, upload_id=upload.pk, master_settings=chosen
        )
        ids.append(job.pk)
    return ids


def run_batch(song: Path, jobs: int, workers: int) -> float:
    """Seconds from the first job's start to the last job's end."""
    from django.db.models import Max, Min

    from masterbus.mastering.models import Job, JobStatus

    ids = queue_batch(song, jobs)
    command = [sys.executable, "-m", "masterbus.config.launcher", "worker", "--no-periodic"]
    procs = [
        subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    try:
        batch = Job.objects.filter(pk__in=ids)
        while batch.filter(status__in=[JobStatus.DONE, JobStatus.FAILED]).count() < jobs:
            time.sleep(0.2)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=120)
    assert not batch.exclude(status=JobStatus.DONE).exists(), "a job failed"
    span = batch.aggregate(first=Min("started_at"), last=Max("finished_at"))
    return (span["last"] - span["first"]).total_seconds()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each song")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.support.music import music_file

    with tempfile.TemporaryDirectory(prefix="masterbus-bench-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # the postgres user reads its data folder below it
        with scaleout_services(folder / "services"):
            os.environ["DJANGO_SETTINGS_MODULE"] = "masterbus.config.settings.local"
            os.environ["MASTERBUS_DATA_DIR"] = str(folder / "data")
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
            song = music_file(folder, seconds=args.seconds, lufs=-20.0, seed=7)
            rows = [(n, run_batch(song, args.jobs, n)) for n in (1, 2)]
    print(f"\n{args.jobs} jobs of {args.seconds:g} s songs, PostgreSQL + Redis/RQ + S3 (moto)")
    print(f"{'workers':>8} {'seconds':>9} {'jobs/min':>9} {'speed-up':>9}")
    for workers, seconds in rows:
        speedup = rows[0][1] / seconds
        print(f"{workers:>8} {seconds:>9.1f} {args.jobs / seconds * 60:>9.1f} {speedup:>8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
