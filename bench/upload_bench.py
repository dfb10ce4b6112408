"""Upload benchmark: a 200 MB tus upload over loopback into the real web server, in MB/s.

Run with ``.venv/bin/python bench/upload_bench.py`` (``--size-mb`` to change the file). It starts
gunicorn with the worker class ``masterbus serve`` uses (gthread) on a free port with a throwaway
data directory, creates a WAV of the requested size, and uploads it through the tus endpoint the
way a client does: create, then PATCH chunks of 16 MiB (the browser uploader's default) and, as a
second run, one PATCH with the whole file. The clock runs from the creation request to the last
response, which includes the server's fsync and its content check of the finished file. The
stored bytes are compared with the original by sha256, and the web server's peak memory (RSS of
its process tree, sampled) shows the body is streamed, not held.

Exit status 1 when a run is slower than issue 3's bar of 50 MB/s or the bytes differ.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

import numpy as np
import psutil
import soundfile as sf

MIN_MB_PER_S = 50.0
BLOCK = 1 << 20
CSRF_TOKEN = "b" * 32


def write_wav(path: Path, size_bytes: int) -> None:
    """A 44.1 kHz stereo 16-bit tone of about ``size_bytes``, written in blocks."""
    frames = (size_bytes - 44) // 4
    t = np.arange(44100) / 44100
    second = np.stack([np.sin(2 * np.pi * 220 * t), np.sin(2 * np.pi * 330 * t)], axis=1) * 0.25
    with sf.SoundFile(path, "w", 44100, 2, "PCM_16", format="WAV") as f:
        for start in range(0, frames, 44100):
            f.write(second[: min(44100, frames - start)])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the web server did not start on port {port}")


def tree_rss(process: psutil.Process) -> int:
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


class PeakRss(threading.Thread):
    """Samples the resident memory of a process and its children every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            try:
                self.peak = max(self.peak, tree_rss(self.process))
            except psutil.Error:
                continue


def tus_upload(port: int, source: Path, chunk: int) -> str:
    """Create and send ``source``; returns the upload id. Raises on any unexpected answer."""
    size = source.stat().st_size
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    cookies = {"csrftoken": CSRF_TOKEN}
    base = {"Tus-Resumable": "1.0.0", "X-CSRFToken": CSRF_TOKEN}

    def cookie_header() -> str:
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    name = base64.b64encode(source.name.encode()).decode()
    conn.request(
        "POST",
        "/uploads/",
        headers={
            **base,
            "Cookie": cookie_header(),
            "Upload-Length": str(size),
            "Upload-Metadata": f"filename {name}",
        },
    )
    response = conn.getresponse()
    body = response.read()
    if response.status != 201:
        raise SystemExit(f"creation failed: {response.status} {body[:200]!r}")
    location = response.getheader("Location")
    for morsel in SimpleCookie(response.getheader("Set-Cookie") or "").values():
        cookies[morsel.key] = morsel.value

    offset = 0
    with open(source, "rb") as f:
        while offset < size:
            length = min(chunk, size - offset)
            conn.putrequest("PATCH", location)
            for key, value in {
                **base,
                "Cookie": cookie_header(),
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(length),
            }.items():
                conn.putheader(key, value)
            conn.endheaders()
            remaining = length
            while remaining:
                block = f.read(min(BLOCK, remaining))
                conn.send(block)
                remaining -= len(block)
            response = conn.getresponse()
            body = response.read()
            if response.status != 204:
                raise SystemExit(f"PATCH at {offset} failed: {response.status} {body[:200]!r}")
            offset = int(response.getheader("Upload-Offset"))
    conn.close()
    return location.rstrip("/").rsplit("/", 1)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=200.0)
    parser.add_argument("--runs", type=int, default=2, help="repeats per chunk size (best kept)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="masterbus-upload-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        env = {
            **os.environ,
            "MASTERBUS_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "masterbus.config.settings.local",
        }
        source = Path(tmp) / "bench-mix.wav"
        write_wav(source, int(args.size_mb * 1e6))
        size = source.stat().st_size
        expected = sha256_of(source)
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--verbosity", "0"], env=env, check=True
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "masterbus.config.wsgi:application",
                "--bind", f"127.0.0.1:{port}",
                "--worker-class", "gthread", "--workers", "2", "--threads", "8",
                "--timeout", "300", "--log-level", "warning",
            ],
            env=env,
        )  # fmt: skip
        failed = False
        try:
            wait_for_port(port)
            # A small upload first, so both web processes have imported everything they use.
            warmup = Path(tmp) / "warmup.wav"
            write_wav(warmup, 1_000_000)
            for _ in range(4):
                tus_upload(port, warmup, 1 << 20)
            idle = tree_rss(psutil.Process(server.pid))
            print(f"tus upload of {size / 1e6:.0f} MB over loopback into gunicorn (gthread)")
            print(f"web server RSS (master + 2 workers) after warm-up: {idle / 1e6:.0f} MB")
            print(f"{'chunk':>12} {'seconds':>8} {'MB/s':>8} {'server peak RSS':>16}  bytes")
            for label, chunk in (("16 MiB", 16 << 20), ("whole file", size)):
                best = None
                for _ in range(args.runs):
                    monitor = PeakRss(server.pid)
                    monitor.start()
                    started = time.perf_counter()
                    upload = tus_upload(port, source, chunk)
                    seconds = time.perf_counter() - started
                    monitor.done.set()
                    monitor.join()
                    stored = data_dir / "media" / "uploads" / upload.replace("-", "")
                    identical = sha256_of(stored) == expected
                    stored.unlink()
                    if best is None or seconds < best[0]:
                        best = (seconds, monitor.peak, identical)
                    failed |= not identical
                seconds, peak, identical = best
                rate = size / 1e6 / seconds
                failed |= rate < MIN_MB_PER_S
                print(
                    f"{label:>12} {seconds:8.2f} {rate:8.0f} {peak / 1e6:13.0f} MB  "
                    f"{'identical' if identical else 'DIFFERENT'}"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"bar: at least {MIN_MB_PER_S:.0f} MB/s -> {'MISSED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
