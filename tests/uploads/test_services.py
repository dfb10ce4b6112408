"""Service-level guarantees that HTTP cannot easily show: crash safety and the lock."""

from __future__ import annotations

import io

import pytest

from masterbus.accounts.owner import Owner
from masterbus.uploads.errors import UploadError
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from masterbus.uploads.services import upload_append, upload_create

pytestmark = pytest.mark.django_db

GUEST = Owner(user=None, guest_key="g" * 43)


def test_bytes_written_past_the_recorded_offset_are_cut_off_on_resume(wav_bytes: bytes) -> None:
    upload = upload_create(owner=GUEST, length=len(wav_bytes), metadata={"filename": "a.wav"})
    upload_append(upload=upload, offset=0, stream=io.BytesIO(wav_bytes[:1000]), content_length=1000)
    # A crash after writing but before the offset was recorded leaves a tail the row never saw.
    with open(upload_file_path(upload), "ab") as f:
        f.write(b"garbage from a crashed request")
    upload = Upload.objects.get(pk=upload.pk)
    upload_append(
        upload=upload,
        offset=1000,
        stream=io.BytesIO(wav_bytes[1000:]),
        content_length=len(wav_bytes) - 1000,
    )
    assert upload.status == UploadStatus.COMPLETE
    assert upload_file_path(upload).read_bytes() == wav_bytes


def test_a_body_shorter_than_announced_keeps_what_arrived(wav_bytes: bytes) -> None:
    upload = upload_create(owner=GUEST, length=len(wav_bytes), metadata={})
    upload_append(upload=upload, offset=0, stream=io.BytesIO(wav_bytes[:700]), content_length=5000)
    assert Upload.objects.get(pk=upload.pk).offset == 700
    assert upload_file_path(upload).read_bytes() == wav_bytes[:700]


def test_an_append_during_another_is_refused_as_locked(wav_bytes: bytes) -> None:
    upload = upload_create(owner=GUEST, length=len(wav_bytes), metadata={})

    class Interleaved(io.BytesIO):
        """A body whose first read tries a second append, as a parallel request would."""

        def read(self, size: int = -1) -> bytes:
            with pytest.raises(UploadError) as err:
                upload_append(
                    upload=Upload.objects.get(pk=upload.pk),
                    offset=0,
                    stream=io.BytesIO(b"x"),
                    content_length=1,
                )
            assert err.value.code == "locked"
            return super().read(size)

    upload_append(upload=upload, offset=0, stream=Interleaved(b"RIFF"), content_length=4)
    assert upload_file_path(upload).read_bytes() == b"RIFF"
