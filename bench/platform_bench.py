"""Platform benchmark: seconds from ``POST /api/v1/jobs`` to a playable master and to every format.

Run with ``.venv/bin/python bench/platform_bench.py``. It renders a 4-minute 44.1 kHz stereo song
(tests/support/music.py), starts ``masterbus serve`` (web server + worker + periodic jobs, exactly
what ``make run`` runs) on a free port with a throwaway data directory, uploads the song with tus
through the JSON API, creates the job with ``POST /api/v1/jobs`` and polls ``GET /api/v1/jobs/<id>``
every 10 ms. It prints:

- seconds from the POST to *playable* (the job's ``playable`` flag: the WAV 24 master and the A/B
  preview can be played and downloaded) and to *all formats ready* (every ``formats`` entry
  ``ready`` and the job ``done``);
- the queue pick-up latency (enqueued -> started, from the job row);
- a stage breakdown: the same job run again in this process (``job_run``, the worker's code) with
  timers around the stages (engine read, chain, MP3 encode/decode/verify, pictures, each format's
  write, previews, storage writes). Stages nest: "chain" includes the pictures and MP3 checks.

Exit status 1 unless playable <= 3 s and all formats <= 6 s (``--runs`` takes the best of N).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_PLAYABLE_S = 3.0
MAX_ALL_S = 6.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_setup(data_dir: Path) -> None:
    os.environ["MASTERBUS_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masterbus.config.settings.local")
    import django

    django.setup()


@contextlib.contextmanager
def serving(data_dir: Path) -> Iterator[int]:
    """``masterbus serve`` on a free port; yields the port once it answers (and has migrated)."""
    port = free_port()
    env = dict(
        os.environ,
        MASTERBUS_DATA_DIR=str(data_dir),
        MASTERBUS_LOG_LEVEL="WARNING",
        # the bench polls every 10 ms, far more often than a script may
        RATE_LIMIT_API_TOKEN="100000/m",
        RATE_LIMIT_API_IP="100000/m",
    )
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
                if time.monotonic() > deadline or serve.poll() is not None:
                    raise SystemExit("masterbus serve did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)


class Api:
    """A bearer-token client on one keep-alive connection."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, body: bytes | None = None, **headers: str):
        self.conn.request(method, path, body=body, headers={**self.auth, **headers})
        response = self.conn.getresponse()
        data = response.read()
        return response, data

    def upload(self, data: bytes, filename: str) -> str:
        import base64

        name = base64.b64encode(filename.encode()).decode()
        tus = {"Tus-Resumable": "1.0.0"}
        response, _ = self.call(
            "POST",
            "/api/v1/uploads/",
            **tus,
            **{"Upload-Length": str(len(data)), "Upload-Metadata": f"filename {name}"},
        )
        assert response.status == 201, response.status
        location = response.getheader("Location")
        response, body = self.call(
            "PATCH",
            location,
            data,
            **tus,
            **{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
        )
        assert response.status == 204, (response.status, body)
        return location.rstrip("/").rsplit("/", 1)[-1]


def playable(job: dict) -> bool:
    """The API's flag; before it existed, a finished job was the first playable state."""
    return bool(job.get("playable", job["status"] == "done"))


def all_ready(job: dict) -> bool:
    states = job.get("formats") or {d["format"]: "ready" for d in job["deliveries"]}
    return job["status"] == "done" and len(states) == 4 and set(states.values()) == {"ready"}


def end_to_end(song: Path, data_dir: Path) -> dict[str, float]:
    """One job through ``masterbus serve`` and the API: seconds to playable and to all formats."""
    from masterbus.accounts.models import User
    from masterbus.api.services import token_create
    from masterbus.mastering.models import Job

    with serving(data_dir) as port:
        user = User.objects.create_user(email=f"{uuid.uuid4().hex}@example.com", password="x" * 20)
        api = Api(port, token_create(user=user, name="bench")[1])
        upload_id = api.upload(song.read_bytes(), song.name)
        time.sleep(1.0)  # let the worker settle (its start-up is not what is measured)
        body = json.dumps({"upload_id": upload_id, "target": -14, "style": "balanced"})
        started = time.perf_counter()
        response, data = api.call(
            "POST", "/api/v1/jobs", body.encode(), **{"Content-Type": "application/json"}
        )
        assert response.status == 201, (response.status, data)
        job = json.loads(data)
        to_playable = None
        while True:
            if to_playable is None and playable(job):
                to_playable = time.perf_counter() - started
            if all_ready(job) or job["status"] == "failed":
                to_all = time.perf_counter() - started
                break
            if time.perf_counter() - started > 300:
                raise SystemExit("the job did not finish in 300 s")
            time.sleep(0.01)
            response, data = api.call("GET", f"/api/v1/jobs/{job['id']}")
            assert response.status == 200, (response.status, data)
            job = json.loads(data)
        if job["status"] == "failed":
            raise SystemExit(f"the job failed: {job['error']}")
        row = Job.objects.get(pk=job["id"])
        pickup = (row.started_at - (row.enqueued_at or row.created_at)).total_seconds()
        return {"playable": to_playable, "all": to_all, "pickup": pickup}


class Timers:
    """Wall time spent in named functions, wrapped where their callers look them up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)  # of the calling thread only
        self.calls: dict[str, int] = defaultdict(int)
        self._undo: list[Callable[[], None]] = []

    def wrap(self, module: str, name: str, label: str | None = None, by_format=False) -> None:
        path, _, cls = module.partition(":")
        owner = importlib.import_module(path)
        owner = getattr(owner, cls) if cls else owner
        original = getattr(owner, name)
        label = label or name

        def timed(*args, **kwargs):
            key = label
            if by_format:
                fmt = args[3] if len(args) > 3 else kwargs.get("fmt", "")
                key = f"{label} {fmt}"
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - start
                self.cpu[key] += time.thread_time() - cpu
                self.calls[key] += 1

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def undo(self) -> None:
        for step in reversed(self._undo):
            step()


STAGES = [
    # (module[:class] where the caller looks it up, name, label, by format)
    ("masterbus.mastering.runner:_Engine", "master", "engine: WAV 24 + previews (-> playable)", 0),
    ("masterbus.mastering.runner:_Engine", "mp3", "engine again: MP3 (thread, after playable)", 0),
    ("masterbus.engine.files", "load", "  read the original (both runs)", 0),
    ("masterbus.engine.files", "write_preview", "  previews (master + original)", 0),
    ("masterbus.engine.chain", "master", "  chain: EQ, dynamics, limiter (both runs)", 0),
    ("masterbus.engine.chain", "analyse", "    analysis incl. pictures (before+after)", 0),
    ("masterbus.engine.meter", "spectrum", "      spectrum picture", 0),
    ("masterbus.engine.meter", "waveform", "      waveform picture", 0),
    ("masterbus.engine.files", "encode_and_measure", "    MP3 encode+decode+verify", 0),
    ("masterbus.engine.outputs", "read_audio", "      MP3 decode", 0),
    ("masterbus.engine.outputs", "guarded_true_peak", "      MP3 true peak", 0),
    ("masterbus.engine.files", "write_audio", "  engine write", 1),
    ("masterbus.mastering.runner", "_job_playable", "worker: store + record the master", 0),
    ("masterbus.mastering.runner", "_make_formats", "worker: other formats (after playable)", 0),
    ("masterbus.mastering.formats", "_wav16", "  WAV 16 from the master", 0),
    ("masterbus.mastering.formats", "_flac", "  FLAC from the master", 0),
    ("masterbus.mastering.runner", "_job_finish", "worker: record done", 0),
    ("masterbus.core.storage", "store", "storage writes (all files)", 0),
]


def breakdown(song: Path) -> Timers:
    """The worker's stages for the same song, run in this process (``job_run``)."""
    from masterbus.accounts.owner import Owner
    from masterbus.mastering import runner
    from masterbus.mastering.models import Job
    from masterbus.mastering.services import songs
    from masterbus.mastering.services.options import settings_from_form
    from masterbus.uploads.services import upload_append, upload_create

    owner = Owner(user=None, guest_key="p" * 43)
    data = song.read_bytes()
    upload = upload_create(owner=owner, length=len(data), metadata={"filename": song.name})
    with song.open("rb") as stream:
        upload = upload_append(upload=upload, offset=0, stream=stream, content_length=len(data))
    chosen = settings_from_form(target_lufs=-14, style="balanced", intensity=50)
    with _no_queue():
        job = songs.song_create_from_upload(
            owner=owner, upload_id=upload.pk, master_settings=chosen
        )
    timers = Timers()
    for module, name, label, by_format in STAGES:
        timers.wrap(module, name, label, by_format)
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        runner.job_run(job_id=job.pk)
        total = time.perf_counter() - started
    finally:
        timers.undo()
    row = Job.objects.get(pk=job.pk)
    assert row.status == "done", row.error_message
    timers.seconds["total job_run"] = total
    timers.cpu["total job_run"] = time.process_time() - cpu_started  # every thread
    if row.playable_at:
        timers.seconds["job_run start -> playable"] = (
            row.playable_at - row.started_at
        ).total_seconds()
    timers.seconds["job_run start -> done"] = (row.finished_at - row.started_at).total_seconds()
    return timers


@contextlib.contextmanager
def _no_queue() -> Iterator[None]:
    """Jobs made for the breakdown are run here, not by a worker (there is none)."""
    from masterbus.mastering.services import songs

    original = songs.job_enqueue
    songs.job_enqueue = lambda *, job_id: None
    try:
        yield
    finally:
        songs.job_enqueue = original


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=240.0, help="length of the song")
    parser.add_argument("--runs", type=int, default=1, help="end-to-end runs (best is kept)")
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument("--song", type=Path, help="use this file instead of rendering one")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.support.music import music_file

    with tempfile.TemporaryDirectory(prefix="masterbus-platform-bench-") as tmp:
        folder = Path(tmp)
        song = args.song or music_file(folder, seconds=args.seconds, lufs=-20.0, seed=7)
        data_dir = folder / "data"
        django_setup(data_dir)
        runs = []
        for _ in range(args.runs):
            runs.append(end_to_end(song, data_dir))
        if not args.no_breakdown:
            timers = breakdown(song)
    best = min(runs, key=lambda r: r["all"])
    print(f"\nplatform: {args.seconds:g} s 44.1 kHz stereo song, masterbus serve (SQLite + disk)")
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores)")
    for r in runs:
        print(
            f"  POST -> playable {r['playable']:.2f} s, -> all formats {r['all']:.2f} s, "
            f"queue pick-up {r['pickup'] * 1000:.0f} ms"
        )
    if not args.no_breakdown:
        print("stage breakdown (in-process job_run; wall s, CPU s of the calling thread):")
        for label, value in timers.seconds.items():
            count = timers.calls.get(label, 1)
            times = f" x{count}" if count > 1 else ""
            cpu = timers.cpu.get(label)
            cpu_text = f"{cpu:7.2f}" if cpu is not None else " " * 7
            print(f"  {label:<48} {value:7.2f} {cpu_text}{times}")
    ok = best["playable"] <= MAX_PLAYABLE_S and best["all"] <= MAX_ALL_S
    verdict = "PASS" if ok else "FAIL"
    print(
        f"{verdict}: playable {best['playable']:.2f} s (bar {MAX_PLAYABLE_S:g} s), "
        f"all formats {best['all']:.2f} s (bar {MAX_ALL_S:g} s), "
        f"pick-up {best['pickup'] * 1000:.0f} ms"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
