"""The mastering pages over HTTP (Django's test client): forms, status, result, files, errors."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import Job, JobStatus, Song
from tests.platform.fixtures import guest_client, make_upload, master_song

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "k" * 43
GUEST = Owner(user=None, guest_key=KEY)


def _form(upload_id, **extra) -> dict:
    return {"upload_id": str(upload_id), "target": "streaming", "style": "balanced",
            "intensity": "50", **extra}  # fmt: skip


def _links(html: str) -> list[str]:
    return re.findall(r'(/files/[^"]+)"', html)


def test_home_page_offers_the_form_and_sets_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for needle in (
        'id="drop-zone"',
        'name="target"',
        'name="style"',
        'name="intensity"',
        'id="reference-file"',
        "uploads/uploader.js",
        "vendor/htmx/htmx.min.js",
    ):
        assert needle in html  # fmt: skip
    assert settings.GUEST_COOKIE_NAME not in response.cookies  # nothing owned yet


def test_master_button_creates_song_and_shows_live_status(client, song_path):
    upload = make_upload(GUEST, song_path.read_bytes(), "Take 3.wav")
    response = guest_client(client, KEY).post(reverse("mastering:master"), _form(upload.pk))
    song = Song.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/songs/{song.pk}/?v=1"
    page = client.get(response["Location"]).content.decode()
    job = song.jobs.get()
    assert f'hx-get="/jobs/{job.pk}/status?playable=0"' in page and "Queued" in page
    status = client.get(f"/jobs/{job.pk}/status", HTTP_HX_REQUEST="true")
    assert status.status_code == 200 and "HX-Refresh" not in status
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.MASTERING, progress=0.42, stage="limiting"
    )
    status = client.get(f"/jobs/{job.pk}/status", HTTP_HX_REQUEST="true").content.decode()
    assert "Mastering" in status and "limiting" in status and "42 %" in status


def test_finished_status_refreshes_the_page_once(client, song_path):
    job = master_song(GUEST, song_path)
    response = guest_client(client, KEY).get(f"/jobs/{job.pk}/status", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-get" not in response.content.decode()  # polling stops


def test_result_page_has_player_pictures_numbers_feedback_and_downloads(client, song_path):
    job = master_song(GUEST, song_path)
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    assert 'id="audio-original"' in html and 'id="audio-master"' in html
    gain = job.report["ab_match_gain_db"]
    assert f'data-match-gain-db="{round(gain, 2)}"' in html
    assert re.search(r'<path d="M[\d.,]+ L', html)  # a waveform was drawn
    assert html.count('<polyline points="') == 2 and 'points=""' not in html
    out = job.report["output"]["integrated_lufs"]
    assert f"{out:.1f}" in html
    for line in job.report["feedback"]:
        assert str(line).replace("'", "&#x27;").replace('"', "&quot;")[:40] in html
    downloads = re.findall(r'data-format="(\w+)"', html)
    assert sorted(downloads) == ["flac", "mp3", "wav16", "wav24"]
    links = _links(html)
    assert len(links) == 6  # two previews + four downloads
    for link in links:
        response = client.get(link)
        assert response.status_code == 200
        head = b"".join(response.streaming_content)[:4]
        assert head in (b"RIFF", b"fLaC") or head[:3] == b"ID3" or head[:2] == b"\xff\xfb"


def test_downloads_support_byte_ranges_for_seeking(client, song_path):
    job = master_song(GUEST, song_path)
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    preview = _links(html)[0]
    whole = b"".join(client.get(preview).streaming_content)
    part = client.get(preview, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[100:200]
    refused = client.get(preview, HTTP_RANGE=f"bytes={len(whole) + 5}-")
    assert refused.status_code == 416


def test_download_is_an_attachment_named_after_the_song(client, song_path):
    job = master_song(GUEST, song_path, name='<img src=x onerror=alert(1)> "quoted".wav')
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    link = re.search(r'href="(/files/[^"]+)" class="download" data-format="wav24"', html)[1]
    response = client.get(link)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "master v1 WAV24).wav" in disposition
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


def test_expired_or_tampered_links_are_refused_politely(client, song_path, settings):
    job = master_song(GUEST, song_path)
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    link = _links(html)[0]
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert client.get(tampered).status_code == 410
    settings.FILE_LINK_MAX_AGE = -1
    response = client.get(link)
    assert response.status_code == 410 and b"expired" in response.content


def test_a_failed_version_says_why_and_offers_another_try(client, song_path):
    job = master_song(GUEST, song_path)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error_message="The file ends in the middle of a frame."
    )
    html = guest_client(client, KEY).get(f"/songs/{job.song_id}/").content.decode()
    assert "This version failed." in html and "ends in the middle of a frame" in html
    assert f'action="/songs/{job.song_id}/remaster"' in html
    assert 'id="ab-player"' not in html


def test_remaster_adds_a_version_without_a_new_upload(client, song_path):
    job = master_song(GUEST, song_path)
    response = guest_client(client, KEY).post(
        f"/songs/{job.song_id}/remaster",
        {"target": "custom", "custom_lufs": "-10", "style": "warm", "intensity": "70"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?v=2")
    v2 = Job.objects.get(song=job.song, number=2)
    assert v2.settings["target_lufs"] == -10.0 and v2.settings["style"] == "warm"
    html = client.get(f"/songs/{job.song_id}/?v=1").content.decode()
    assert html.count('href="?v=') == 2  # both versions listed for comparison


def test_bad_form_input_gives_a_message_not_a_500(client, song_path):
    guest_client(client, KEY)
    cases = [
        ({"target": "streaming", "style": "balanced", "intensity": "50"}, "Choose a song"),
        (_form("not-a-uuid"), "Choose a song"),
        (_form("6f1c2d9e-0000-4000-8000-000000000000"), "no such upload"),
        (_form(make_upload(GUEST, song_path.read_bytes()).pk, intensity="500"), "Intensity"),
        (_form(make_upload(GUEST, song_path.read_bytes()).pk, target="custom"), "custom"),
    ]
    for data, message in cases:
        response = client.post(reverse("mastering:master"), data)
        assert response.status_code == 400, data
        assert message.lower() in response.content.decode().lower(), message
    assert Song.objects.count() == 0


def test_unfinished_upload_gets_a_clear_message_and_is_kept(client, song_path):
    from masterbus.uploads.services import upload_create

    data = song_path.read_bytes()
    upload = upload_create(owner=GUEST, length=len(data), metadata={"filename": "half.wav"})
    response = guest_client(client, KEY).post(reverse("mastering:master"), _form(upload.pk))
    assert response.status_code == 400
    assert "has not finished yet" in response.content.decode()
    assert Song.objects.count() == 0
    upload.refresh_from_db()
    assert upload.offset == 0 and upload.status == "uploading"  # still resumable


def test_server_errors_get_the_friendly_500_page(client, monkeypatch):
    from masterbus.mastering import selectors

    def broken(owner):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "song_list_for_owner", broken)
    client.raise_request_exception = False
    response = client.get("/songs/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and "database on fire" not in html


def test_text_file_renamed_wav_gets_a_clear_message(client):
    upload = make_upload(GUEST, b"not audio at all\n" * 200, "song.wav")
    response = guest_client(client, KEY).post(reverse("mastering:master"), _form(upload.pk))
    assert response.status_code == 400
    assert upload.error_message and upload.error_message in response.content.decode()
    assert Song.objects.count() == 0


def test_hostile_file_names_are_shown_safely(client, song_path):
    name = "../../etc/" + "<script>alert(1)</script>" + "x" * 300 + ".wav"
    upload = make_upload(GUEST, song_path.read_bytes(), name)
    guest_client(client, KEY).post(reverse("mastering:master"), _form(upload.pk))
    song = Song.objects.get()
    assert "/" not in song.title and len(song.title) <= 200
    assert song.original.startswith(f"songs/{song.pk.hex}/original.")
    html = client.get(f"/songs/{song.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/songs/not-a-song/")
    assert response.status_code == 404
    assert b"There is nothing here" in response.content


def test_delete_removes_song_and_returns_to_library(client, song_path):
    job = master_song(GUEST, song_path)
    response = guest_client(client, KEY).post(f"/songs/{job.song_id}/delete")
    assert response.status_code == 302 and response["Location"] == "/songs/"
    assert not Song.objects.exists()
    assert "deleted" in client.get("/songs/").content.decode()
