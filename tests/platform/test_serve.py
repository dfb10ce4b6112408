"""`masterbus serve`: one command runs web server, worker and periodic jobs; Ctrl-C stops all."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from masterbus.accounts.owner import Owner
from masterbus.config import launcher
from masterbus.mastering.models import Job, JobStatus
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from tests.platform.fixtures import REPO, make_upload, subprocess_env
from tests.support.waiting import free_port, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def poll(predicate, timeout: float):
    """``wait_until`` for a server starting up: refused connections count as "not yet"."""
    return wait_until(predicate, timeout, interval=0.2, ignoring=(OSError,))


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _start_serve(port: int, *, threads: int) -> subprocess.Popen:
    """`masterbus serve` with one web process, its output piped for the assertions."""
    return subprocess.Popen(
        [sys.executable, "-m", "masterbus.config.launcher", "serve", "--port", str(port),
         "--web-processes", "1", "--threads", str(threads)],
        env=subprocess_env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_serve_runs_everything_and_ctrl_c_stops_it_cleanly(song_path):
    owner = Owner(user=None, guest_key="v" * 43)
    # Queued while the platform is down: it must be done after `serve` starts.
    job = song_create_from_upload(
        owner=owner,
        upload_id=make_upload(owner, song_path.read_bytes()).pk,
        master_settings=settings_from_form(target_lufs=-14, style="balanced", intensity=50),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = _start_serve(port, threads=4)
    try:
        assert poll(lambda: _get(base + "/")[0] == 200, 60), "web server did not start"
        status, body = _get(base + "/static/vendor/htmx/htmx.min.js")
        assert status == 200 and b"htmx" in body
        children = psutil.Process(serve.pid).children(recursive=True)
        assert len(children) >= 3  # gunicorn master + its worker + the task worker
        assert poll(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, 120), (
            "queued job was not done"
        )
    finally:
        serve.send_signal(signal.SIGINT)
        output = serve.communicate(timeout=60)[0].decode()
    assert serve.returncode == 0, output
    assert "Masterbus stopped." in output
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    with pytest.raises(OSError):
        _get(base + "/")


def _task_workers(serve: subprocess.Popen) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(serve.pid).children()
        if "worker" in child.cmdline() and child.status() != psutil.STATUS_ZOMBIE
    ]


def test_a_killed_worker_is_restarted_with_back_off_while_the_web_keeps_serving():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = _start_serve(port, threads=2)
    try:
        assert poll(lambda: _get(base + "/")[0] == 200, 60), "web server did not start"
        seen = []
        for _ in range(2):  # killed twice in a row (as the OOM killer would): 1 s, then 2 s
            assert poll(lambda: len(_task_workers(serve)) == 1, 30), "no worker running"
            (worker,) = _task_workers(serve)
            assert worker.pid not in seen
            seen.append(worker.pid)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            assert _get(base + "/")[0] == 200  # the web server keeps serving meanwhile
        assert poll(lambda: len(_task_workers(serve)) == 1, 30), "worker not restarted"
        assert _task_workers(serve)[0].pid not in seen
        assert serve.poll() is None
    finally:
        serve.send_signal(signal.SIGINT)
        output = serve.communicate(timeout=60)[0].decode()
    assert serve.returncode == 0, output
    assert f"(pid {seen[0]}) was killed by SIGKILL; restarting it in 1 s" in output
    assert f"(pid {seen[1]}) was killed by SIGKILL; restarting it in 2 s" in output
    assert output.count("restarted (pid") == 2
    assert "Masterbus stopped." in output


def test_the_restart_back_off_doubles_up_to_its_cap_and_resets_after_a_stable_run(
    monkeypatch, capsys
):
    monkeypatch.setattr(launcher, "RESTART_FIRST_DELAY_S", 0.05)
    monkeypatch.setattr(launcher, "RESTART_MAX_DELAY_S", 0.2)
    monkeypatch.setattr(launcher, "RESTART_STABLE_AFTER_S", 60.0)
    dies = launcher._Restarting("worker 1", [sys.executable, "-c", "raise SystemExit(3)"])

    def waits(count: int) -> list[str]:
        """Watch until ``count`` more deaths were noticed; the announced waits."""
        said: list[str] = []
        while len(said) < count:
            dies.watch()
            said += re.findall(
                r"exited with status 3; restarting it in (\S+) s", capsys.readouterr().err
            )
            time.sleep(0.01)
        return said

    try:
        assert waits(5) == ["0.05", "0.1", "0.2", "0.2", "0.2"]
        # A run longer than the stable time starts the back-off again at its first delay.
        monkeypatch.setattr(launcher, "RESTART_STABLE_AFTER_S", 0.0)
        assert waits(2) == ["0.05", "0.05"]
    finally:
        if dies.process.poll() is None:
            dies.process.kill()
        dies.process.wait()
