"""The README's API example, run as written (requests + tuspy) against a live server and a real
worker process: it uploads, masters and downloads a file at the asked loudness."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from masterbus.api.services import token_create
from tests.platform.fixtures import REPO, start_worker
from tests.support.ffmeter import measure

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _readme_example() -> str:
    section = (REPO / "README.md").read_text().split("\n## JSON API\n", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_example_masters_a_file(live_server, alice, short_song, tmp_path, monkeypatch):
    token = token_create(user=alice, name="readme")[1]
    code = _readme_example()
    code = code.replace('"http://127.0.0.1:8000"', repr(live_server.url))
    code = code.replace('"Bearer mb_..."', repr(f"Bearer {token}"))
    assert live_server.url in code and token in code  # the placeholders are where we expect
    shutil.copy(short_song, tmp_path / "mix.wav")
    monkeypatch.chdir(tmp_path)

    failures: list[BaseException] = []

    def run() -> None:
        try:
            exec(compile(code, "README.md", "exec"), {})
        except BaseException as exc:
            failures.append(exc)

    worker = start_worker()
    try:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(timeout=180)
        assert not thread.is_alive(), "the example did not finish in 3 minutes"
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    assert not failures, failures
    loudness = measure(Path(tmp_path / "master.flac"))  # ffmpeg's ebur128
    assert abs(loudness.integrated_lufs + 14.0) <= 0.5 and loudness.true_peak_dbtp <= -0.9
