"""Session files shared in a booking (P15): the two parties only, audio by content, bounded,
deleted the studio's turnaround days after the session or when the booking is cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from masterbus.accounts.owner import Owner
from masterbus.config import periodic
from masterbus.core.errors import DomainError
from masterbus.studios.models import Booking, BookingStatus, SessionFile
from masterbus.studios.services.bookings import booking_cancel, booking_create
from masterbus.studios.services.session_files import session_files_add, session_files_purge
from masterbus.studios.session_views import session_file_url
from masterbus.uploads.models import Upload
from tests.platform.fixtures import make_upload, make_user
from tests.studios.conftest import make_room, make_studio, next_weekday
from tests.support.music import music_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def track(tmp_path_factory):
    return music_file(tmp_path_factory.mktemp("session"), seconds=2.0, lufs=-20.0, seed=5)


@pytest.fixture
def booking(client_user, room) -> Booking:
    start = next_weekday(3, dt.time(14))
    made = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )
    Booking.objects.filter(pk=made.pk).update(status=BookingStatus.CONFIRMED)
    made.refresh_from_db()
    return made


def upload(user, path, name="take.wav") -> Upload:
    return make_upload(Owner(user=user, guest_key=None), path.read_bytes(), name)


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def share(user, booking, *uploads) -> list[SessionFile]:
    return session_files_add(booking=booking, user=user, upload_ids=[u.pk for u in uploads])


def test_client_and_owner_share_and_each_downloads_the_others_file(
    booking, client_user, owner, track
):
    response = signed_in(client_user).post(
        reverse("studios:session_files_upload", args=[booking.pk]),
        {"upload_ids": [str(upload(client_user, track, "vocals.wav").pk)]},
    )
    assert response.status_code == 302
    response = signed_in(owner).post(
        reverse("studios:session_files_upload", args=[booking.pk]),
        {"upload_ids": [str(upload(owner, track, "rough-mix.wav").pk)]},
    )
    assert response.status_code == 302
    from_client = SessionFile.objects.get(uploader=client_user)
    from_owner = SessionFile.objects.get(uploader=owner)
    assert (from_client.name, from_client.size) == ("vocals.wav", track.stat().st_size)
    assert not Upload.objects.exists()  # the booking took the bytes
    got = signed_in(owner).get(session_file_url(from_client, owner))
    assert got.status_code == 200 and b"".join(got.streaming_content) == track.read_bytes()
    got = signed_in(client_user).get(session_file_url(from_owner, client_user))
    assert got.status_code == 200
    page = signed_in(client_user).get(reverse("studios:booking", args=[booking.pk]))
    html = page.content.decode()
    assert "rough-mix.wav" in html and "vocals.wav" in html
    assert "deleted 14 days after the session" in html


def test_strangers_and_other_owners_get_404(booking, client_user, track):
    shared = share(client_user, booking, upload(client_user, track))[0]
    other_owner = make_user("other-owner@example.com")
    make_room(make_studio(other_owner, name="Elsewhere"))
    for outsider in (make_user("stranger@example.com"), other_owner):
        browser = signed_in(outsider)
        # A link made for the outsider, and the client's own link, both refused.
        assert browser.get(session_file_url(shared, outsider)).status_code == 404
        assert browser.get(session_file_url(shared, client_user)).status_code == 404
        mine = upload(outsider, track)
        url = reverse("studios:session_files_upload", args=[booking.pk])
        assert browser.post(url, {"upload_ids": [str(mine.pk)]}).status_code == 404
    assert SessionFile.objects.count() == 1


def test_a_file_that_is_not_audio_is_refused_with_its_reason(booking, client_user, track):
    bad = make_upload(
        Owner(user=client_user, guest_key=None), b"lyrics, not audio\n" * 200, "x.wav"
    )
    good = upload(client_user, track)
    with pytest.raises(DomainError, match="cannot be used"):
        share(client_user, booking, good, bad)
    assert not SessionFile.objects.exists()
    response = signed_in(client_user).post(
        reverse("studios:session_files_upload", args=[booking.pk]),
        {"upload_ids": [str(bad.pk)]},
        follow=True,
    )
    assert "cannot be used" in response.content.decode()
    assert not SessionFile.objects.exists()


def test_count_and_total_size_are_bounded(booking, client_user, owner, track, settings):
    settings.BOOKING_FILES_MAX_COUNT = 2
    share(client_user, booking, upload(client_user, track))
    with pytest.raises(DomainError, match="at most 2 files"):
        share(owner, booking, upload(owner, track), upload(owner, track))
    settings.BOOKING_FILES_MAX_COUNT = 10
    settings.BOOKING_FILES_MAX_TOTAL_BYTES = track.stat().st_size * 2 - 1
    with pytest.raises(DomainError, match="GB"):
        share(owner, booking, upload(owner, track))
    assert SessionFile.objects.count() == 1


def test_files_wait_for_a_confirmed_booking(client_user, room, track):
    start = next_weekday(4, dt.time(14))
    pending = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )
    with pytest.raises(DomainError, match="confirmed"):
        share(client_user, pending, upload(client_user, track))
    assert not SessionFile.objects.exists()


def test_the_purge_deletes_files_after_the_turnaround_and_not_before(
    booking, client_user, track, django_capture_on_commit_callbacks
):
    studio = booking.room.studio
    studio.files_turnaround_days = 3
    studio.save()
    name = share(client_user, booking, upload(client_user, track))[0].stored_name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        assert session_files_purge(now=booking.ends_at + dt.timedelta(days=2, hours=23)) == 0
    assert default_storage.exists(name) and SessionFile.objects.count() == 1
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED)
    with django_capture_on_commit_callbacks(execute=True):
        assert session_files_purge(now=booking.ends_at + dt.timedelta(days=3, minutes=1)) == 1
    assert not default_storage.exists(name) and not SessionFile.objects.exists()
    assert session_files_purge(now=booking.ends_at + dt.timedelta(days=4)) == 0  # idempotent
    assert "session file purge" in dict(periodic._jobs())


def test_cancelling_the_booking_deletes_its_files(
    booking, client_user, owner, track, django_capture_on_commit_callbacks
):
    names = [f.stored_name for f in share(client_user, booking, upload(client_user, track))]
    names += [f.stored_name for f in share(owner, booking, upload(owner, track))]
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by_studio=True)
    assert not SessionFile.objects.exists()
    assert not any(default_storage.exists(n) for n in names)


def test_the_uploaders_account_deletion_takes_their_files(
    booking, client_user, owner, track, django_capture_on_commit_callbacks
):
    from masterbus.rights.deletion import user_purge
    from masterbus.rights.personal import personal_rows, stored_names

    mine = share(client_user, booking, upload(client_user, track))[0]
    theirs = share(owner, booking, upload(owner, track))[0]
    rows = personal_rows(client_user)
    assert [r.pk for r in rows[SessionFile]] == [mine.pk]  # export: the user's own files only
    assert stored_names(mine) == [mine.stored_name]
    with django_capture_on_commit_callbacks(execute=True):
        user_purge(user=client_user)
    assert list(SessionFile.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert not default_storage.exists(mine.stored_name)
    assert default_storage.exists(theirs.stored_name)
