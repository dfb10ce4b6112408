"""Demo mastering: a listener with a mastered song and a mastered two-track album, made through
the real upload and mastering services and the engine (run here, not in a worker)."""

from __future__ import annotations

import io

from masterbus.accounts.owner import Owner
from masterbus.demo.audio import clip_wav
from masterbus.demo.users import demo_user
from masterbus.mastering.models import Album, Song
from masterbus.mastering.runner import job_run
from masterbus.mastering.services.albums import album_create_from_uploads
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from masterbus.uploads.services import upload_append, upload_create

SONG_TITLE = "demo-song.wav"
ALBUM_TITLE = "Demo Album"


def _upload(owner: Owner, data: bytes, filename: str):
    upload = upload_create(owner=owner, length=len(data), metadata={"filename": filename})
    return upload_append(upload=upload, offset=0, stream=io.BytesIO(data), content_length=len(data))


def load(*, stdout) -> None:
    user = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    owner = Owner(user=user, guest_key=None)
    settings = settings_from_form(target_lufs=-14, style="balanced", intensity=50)
    if not Song.objects.for_owner(owner).filter(title=SONG_TITLE, album=None).exists():
        upload = _upload(owner, clip_wav(seconds=8.0, seed=1), SONG_TITLE)
        job = song_create_from_upload(owner=owner, upload_id=upload.pk, master_settings=settings)
        job_run(job_id=job.pk)
        stdout.write(f"  song {SONG_TITLE!r} mastered for {user.email}")
    if not Album.objects.for_owner(owner).filter(title=ALBUM_TITLE).exists():
        uploads = [
            _upload(owner, clip_wav(seconds=6.0, seed=seed), f"track-{seed}.wav") for seed in (2, 3)
        ]
        album_job = album_create_from_uploads(
            owner=owner,
            title=ALBUM_TITLE,
            upload_ids=[u.pk for u in uploads],
            master_settings=settings,
        )
        for job in album_job.tracks.all():
            job_run(job_id=job.pk)
        stdout.write(f"  album {ALBUM_TITLE!r} (2 tracks) mastered for {user.email}")
