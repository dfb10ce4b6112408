"""Playable first: the WAV 24 master and the previews are stored, shown and downloadable while the
other formats are made from that master; a job taken over after that point makes only what is
missing, and every format ends up exactly once."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from django.core.files.storage import default_storage
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.api.outputs import job_out
from masterbus.core import storage
from masterbus.mastering import runner
from masterbus.mastering.models import Job, JobStatus
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.queue import job_sweep
from masterbus.mastering.services.songs import song_create_from_upload
from tests.platform.fixtures import guest_client, make_upload

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "q" * 43
GUEST = Owner(user=None, guest_key=KEY)
FORMATS = ["flac", "mp3", "wav16", "wav24"]


def _queued(path: Path) -> Job:
    return song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, path.read_bytes()).pk,
        master_settings=settings_from_form(target_lufs=-14, style="balanced", intensity=50),
    )


def _read(name: str, dtype: str):
    """A stored file's samples and its soundfile info, on disk or object storage alike."""
    with storage.local_copy(name) as path:
        return sf.read(path, dtype=dtype), sf.info(str(path))


def test_the_master_plays_and_downloads_while_the_other_formats_are_made(
    client, song_path, monkeypatch
):
    job = _queued(song_path)
    seen: dict = {}
    real_make_formats = runner._make_formats

    def look_then_make(job_row, token, workdir, engine):
        """The moment between playable and done, as the API, the page and the poll see it."""
        row = Job.objects.select_related("song").get(pk=job.pk)
        seen["status"], seen["playable"] = row.status, row.is_playable
        seen["api"] = job_out(row)
        guest_client(client, KEY)
        seen["page"] = client.get(f"/songs/{row.song_id}/").content.decode()
        seen["poll_shown"] = client.get(f"/jobs/{row.pk}/status?playable=1", HTTP_HX_REQUEST="true")
        seen["poll_waiting"] = client.get(
            f"/jobs/{row.pk}/status?playable=0", HTTP_HX_REQUEST="true"
        )
        return real_make_formats(job_row, token, workdir, engine)

    monkeypatch.setattr(runner, "_make_formats", look_then_make)
    runner.job_run(job_id=job.pk)

    assert seen["status"] == JobStatus.MASTERING and seen["playable"]
    api = seen["api"]
    assert api["playable"] is True and api["status"] == "mastering"
    assert api["formats"] == {"wav24": "ready", "wav16": "preparing", "flac": "preparing",
                              "mp3": "preparing"}  # fmt: skip
    assert [d["format"] for d in api["deliveries"]] == ["wav24"]
    assert api["report_url"]  # the report is readable once playable

    page = seen["page"]
    assert 'id="audio-master"' in page and 'id="audio-original"' in page  # the A/B player
    assert re.findall(r'class="download" data-format="(\w+)"', page) == ["wav24"]
    states = dict(re.findall(r'data-download="(\w+)" data-state="(\w+)"', page))
    assert states == {"wav24": "ready", "wav16": "preparing", "flac": "preparing",
                      "mp3": "preparing"}  # fmt: skip
    assert "preparing…" in page and f"/jobs/{job.pk}/status?playable=1" in page

    shown = seen["poll_shown"]  # the page already plays: no reload, the list is swapped in
    assert "HX-Refresh" not in shown
    assert 'id="downloads" hx-swap-oob="true"' in shown.content.decode()
    assert seen["poll_waiting"]["HX-Refresh"] == "true"  # a page from before reloads once

    done = Job.objects.select_related("song").get(pk=job.pk)
    assert done.status == JobStatus.DONE and done.playable_at <= done.finished_at
    assert job_out(done)["formats"] == dict.fromkeys(FORMATS, "ready")
    assert sorted(done.report["outputs"]) == FORMATS
    poll = client.get(f"/jobs/{job.pk}/status?playable=1", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in poll and "hx-get" not in poll.content.decode()  # polling stops
    assert poll.content.decode().count('class="download"') == 4


def test_formats_made_from_the_master_carry_the_same_audio(song_path):
    job = _queued(song_path)
    runner.job_run(job_id=job.pk)
    job = Job.objects.get(pk=job.pk)
    files = {d.format: d.file for d in job.deliveries.all()}
    (master, fs), _ = _read(files["wav24"], "int32")
    (flac, flac_fs), flac_info = _read(files["flac"], "int32")
    assert flac_fs == fs and np.array_equal(flac, master)  # lossless: the same 24-bit samples
    assert flac_info.subtype == "PCM_24"
    (wav16, _), wav16_info = _read(files["wav16"], "float32")
    assert wav16_info.subtype == "PCM_16"
    difference = wav16 - _read(files["wav24"], "float32")[0][0]
    assert np.max(np.abs(difference)) < 4 / 32768  # dither only: about one 16-bit step
    assert _read(files["mp3"], "float32")[1].format == "MP3"
    delivered = next(s for s in job.report["stages"] if s["name"] == "delivery")["files"]
    assert sorted(f["format"] for f in delivered) == FORMATS


def test_a_job_taken_over_after_it_was_playable_makes_only_the_missing_formats(
    song_path, monkeypatch
):
    job = _queued(song_path)
    made = []
    real_make = runner.formats.make

    def crash_after_wav16(master, folder, formats, mp3):
        for item in real_make(master, folder, formats, mp3):
            made.append(item[0])
            yield item
            if item[0] == "wav16":
                raise KeyboardInterrupt  # the worker dies here (no failure is recorded)

    monkeypatch.setattr(runner.formats, "make", crash_after_wav16)
    with pytest.raises(KeyboardInterrupt):
        runner.job_run(job_id=job.pk)
    row = Job.objects.get(pk=job.pk)
    assert row.is_playable and row.status == JobStatus.MASTERING
    have = sorted(row.deliveries.values_list("format", flat=True))
    assert "wav24" in have and "wav16" in have and len(have) < 4

    monkeypatch.setattr(runner.formats, "make", real_make)
    engine_runs = []
    real_master_file = runner.master_file

    def counting(*args, **kwargs):
        engine_runs.append(sorted(args[1]))
        return real_master_file(*args, **kwargs)

    monkeypatch.setattr(runner, "master_file", counting)
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    assert job_sweep() == 1  # the lease ran out: queued again
    runner.job_run(job_id=job.pk)
    row = Job.objects.get(pk=job.pk)
    assert row.status == JobStatus.DONE and row.attempts == 2
    assert sorted(row.deliveries.values_list("format", flat=True)) == FORMATS
    # The engine did not master again for the playable part; at most the MP3 was left.
    assert all(outputs == ["mp3"] for outputs in engine_runs)
    folder = f"songs/{row.song_id.hex}/v1"
    stored = sorted(default_storage.listdir(folder)[1])
    expected = sorted(
        [Path(d.file).name for d in row.deliveries.all()] + ["preview.wav", "original_preview.wav"]
    )
    assert stored == expected  # one set of files, nothing duplicated
    with contextlib.suppress(NotImplementedError):  # disk storage: scratch beside it
        assert not list(Path(default_storage.path(".work")).iterdir())  # none left behind


def test_a_version_finished_before_playable_was_recorded_still_plays(client, song_path):
    job = _queued(song_path)
    runner.job_run(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(playable_at=None)  # a row from before the field
    row = Job.objects.select_related("song").get(pk=job.pk)
    assert row.is_playable and job_out(row)["playable"] is True
    page = guest_client(client, KEY).get(f"/songs/{row.song_id}/").content.decode()
    assert 'id="audio-master"' in page and page.count('class="download"') == 4
