"""P30: the export holds every row of the user's data (no secrets) and their files, is built in
the background, stored whole or not at all, downloaded through a signed, expiring link that
checks the owner, and purged after its window."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_create
from masterbus.profiles.services import avatar_set
from masterbus.rights.exporter import export_build
from masterbus.rights.exports import export_purge, export_request
from masterbus.rights.models import AuditEvent, DataExport, ExportStatus
from masterbus.rights.personal import ACTOR_FIELDS
from masterbus.rights.rights_requests import rights_request_create
from masterbus.rights.roles import ADMIN
from tests.platform.fixtures import make_user, master_song
from tests.rights.traces import stored_files

pytestmark = pytest.mark.django_db(transaction=True)


def _download(client, html: str) -> bytes:
    href = html.split('id="export-download" href="')[1].split('"')[0]
    response = client.get(href)
    assert response.status_code == 200
    assert response.streaming  # streamed from storage, never held in memory whole
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_export_holds_all_personal_data_and_files_but_no_secrets(client, alice, bob, song_path):
    mine = master_song(Owner(user=alice, guest_key=None), song_path, name="Night Drive.wav")
    theirs = master_song(Owner(user=bob, guest_key=None), song_path, name="Bobs Song.wav")
    _token, secret = token_create(user=alice, name="laptop")
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), "purple").save(picture, "PNG")
    profile = avatar_set(user=alice, stream=io.BytesIO(picture.getvalue()), length=picture.tell())
    client.force_login(alice)

    client.post("/settings/data/export")  # queued for a worker; the browser test runs one
    export = DataExport.objects.get(user=alice)
    assert export.status == ExportStatus.PENDING
    html = client.get("/settings/data/").content.decode()
    assert 'id="export-status">Your export is being prepared' in html
    export_build(export_id=export.pk)
    export_build(export_id=export.pk)  # a retried task changes nothing
    export.refresh_from_db()
    assert export.status == ExportStatus.READY

    archive = zipfile.ZipFile(
        io.BytesIO(_download(client, client.get("/settings/data/").content.decode()))
    )
    document = json.loads(archive.read("data.json"))
    data = document["data"]
    assert document["account"] == "alice@example.com"
    assert [row["title"] for row in data["mastering.song"]] == ["Night Drive.wav"]
    assert {row["song_id"] for row in data["mastering.job"]} == {str(mine.song_id)}
    assert len(data["mastering.delivery"]) == mine.deliveries.count()
    assert [row["name"] for row in data["api.apitoken"]] == ["laptop"]
    user_row = data["accounts.user"][0]
    assert user_row["email"] == "alice@example.com" and "password" not in user_row
    text = archive.read("data.json").decode()
    assert "secret_hash" not in text and secret.split("_")[-1] not in text
    assert "Bobs Song" not in text and str(theirs.song_id) not in text

    # The files: the original and every delivery, byte for byte; nothing of bob's.
    wanted = [mine.song.original, *mine.deliveries.values_list("file", flat=True)]
    avatar = data["profiles.profile"][0]["avatar"]  # the picture, as a file of its own
    assert archive.read(avatar) == bytes(profile.avatar)
    assert sorted(document["files"]) == sorted([avatar, *(f"files/{name}" for name in wanted)])
    for name in wanted:
        with default_storage.open(name, "rb") as stored:
            assert archive.read(f"files/{name}") == stored.read()
    assert not any(theirs.song_id.hex in name for name in archive.namelist())

    (ready,) = [m for m in mail.outbox if "export" in m.subject]
    assert ready.to == ["alice@example.com"] and "/settings/data/" in ready.body


def test_the_download_link_checks_the_owner_is_signed_and_expires(client, alice, bob, settings):
    export = export_request(user=alice)
    export_build(export_id=export.pk)
    client.force_login(alice)
    html = client.get("/settings/data/").content.decode()
    href = html.split('id="export-download" href="')[1].split('"')[0]
    assert client.get(href).status_code == 200

    assert client.get(href[:-3] + "abc").status_code == 404  # altered signature
    client.force_login(bob)
    assert client.get(href).status_code == 404  # the link is useless to anyone else
    client.logout()
    assert client.get(href).status_code == 302  # signed out: sign in first
    client.force_login(alice)
    settings.FILE_LINK_MAX_AGE = -1
    assert client.get(href).status_code == 404  # expired


def test_a_failed_build_leaves_no_file_and_says_so(client, alice, monkeypatch):
    export = export_request(user=alice)
    before = stored_files()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("masterbus.rights.exporter.storage.store", broken)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.file == ""
    assert stored_files() == before  # not even a temporary part
    client.force_login(alice)
    html = client.get("/settings/data/").content.decode()
    assert "could not be built" in html and "export-download" not in html


def test_asking_twice_while_one_is_on_its_way_gives_the_same_export_unless_it_was_lost(
    client, alice
):
    first = export_request(user=alice)
    assert export_request(user=alice).pk == first.pk
    client.force_login(alice)
    assert "export-button" not in client.get("/settings/data/").content.decode()
    # A worker died with it: after an hour it is taken as lost, and the user may ask again.
    DataExport.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert "export-button" in client.get("/settings/data/").content.decode()
    assert export_request(user=alice).pk != first.pk


def test_old_exports_are_purged_with_their_file_and_logged(alice, settings, caplog):
    settings.EXPORT_RETENTION_DAYS = 7
    export = export_request(user=alice)
    export_build(export_id=export.pk)
    name = DataExport.objects.get().file
    assert default_storage.exists(name)
    assert export_purge() == 0
    caplog.set_level(logging.INFO, logger="masterbus")
    assert export_purge(now=timezone.now() + timedelta(days=8)) == 1
    assert not DataExport.objects.exists() and not default_storage.exists(name)
    assert "purged 1 expired data export" in caplog.text
    assert export_purge(now=timezone.now() + timedelta(days=8)) == 0  # idempotent


def test_a_part_left_by_a_worker_that_died_is_purged_later(alice, settings):
    export_build(export_id=export_request(user=alice).pk)
    finished = DataExport.objects.get().file
    try:
        part = Path(default_storage.path("exports")) / ".export-crashed"
    except NotImplementedError:
        pytest.skip("object storage never holds a part: the zip is uploaded whole")
    part.mkdir(parents=True)
    (part / "export.zip").write_bytes(b"PK half")
    assert export_purge() == 0  # a build may still be writing it
    assert export_purge(now=timezone.now() + timedelta(hours=2)) == 1
    assert not part.exists() and default_storage.exists(finished)


def test_a_staff_members_export_holds_none_of_the_people_they_served(client, alice, bob):
    """Rows that name the staff member as the one who acted (a rights request they answered,
    the audit log, the admin's LogEntry) belong to other people: the export says only that the
    staff member acted, never the requester's email, message or the changed object's data."""
    staff = make_user("helper@staff.example")
    staff.is_staff = True
    staff.display_name = "Helper"
    staff.save()
    staff.groups.add(Group.objects.get(name=ADMIN))
    request = rights_request_create(
        kind="erasure", message="Please erase my remixes", email=bob.email, user=bob
    )
    own = rights_request_create(kind="access", message="My own question", email=staff.email,
                                user=staff)  # fmt: skip
    client.force_login(staff)
    answer = {"status": "answered", "staff_note": "Erased Bob's remixes"}
    answered = client.post(f"/admin/rights/rightsrequest/{request.pk}/change/", answer)
    assert answered.status_code == 302
    changed = client.post(f"/admin/accounts/user/{alice.pk}/change/", {
        "email": alice.email, "display_name": "Alice Liddell", "is_active": "on",
        "date_joined_0": f"{alice.date_joined:%Y-%m-%d}", "date_joined_1": "10:00:00",
        "email_on_master_ready": "on"})  # fmt: skip
    assert changed.status_code == 302, changed.content.decode()[:2000]
    assert AuditEvent.objects.filter(actor=staff).count() == 2
    assert LogEntry.objects.filter(user=staff).count() == 2

    export_build(export_id=export_request(user=staff).pk)
    with default_storage.open(DataExport.objects.get(user=staff).file, "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    text = archive.read("data.json").decode()
    document = json.loads(text)
    for theirs in (bob.email, "erase my remixes", "Erased Bob", alice.email, "Alice Liddell"):
        assert theirs not in text
    # The staff member's own data is all there, their own rights request included.
    assert document["data"]["accounts.user"][0]["display_name"] == "Helper"
    assert [r["message"] for r in document["data"]["rights.rightsrequest"]] == ["My own question"]
    # What they did on others' records: that they acted, when, on what kind of record.
    actions = document["actions"]
    assert [(r["id"], r["status"]) for r in actions["rights.rightsrequest"]] == [
        (request.pk, "answered")
    ]
    assert {e["content_type"] for e in actions["rights.auditevent"]} == {
        "rights.rightsrequest", "accounts.user"}  # fmt: skip
    assert {e["action"] for e in actions["rights.auditevent"]} == {"change"}
    assert len(actions["admin.logentry"]) == 2
    assert own.pk not in [r["id"] for r in actions["rights.rightsrequest"]]


def test_every_relation_naming_who_acted_is_declared_as_such():
    """A relation to the user called ``actor`` or ``<something>_by`` names who did something to
    another person's record: it must be in ACTOR_FIELDS, or an export would carry that record."""
    user_model = get_user_model()
    relations = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.related_model is user_model
    }
    assert set(ACTOR_FIELDS) <= relations  # every declaration names a real relation
    actors = {(label, name) for label, name in relations
              if name == "actor" or name.endswith("_by")}  # fmt: skip
    assert actors <= set(ACTOR_FIELDS)
