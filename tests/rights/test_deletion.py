"""P32 and P7: deleting an account signs it out everywhere at once and deactivates it; the purge
after the window leaves no row and no file of the user, only anonymised records."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_create
from masterbus.config import periodic
from masterbus.mastering.models import Song
from masterbus.rights.audit import DELETED
from masterbus.rights.deletion import account_delete, account_purge_due
from masterbus.rights.exporter import export_build
from masterbus.rights.exports import export_request
from masterbus.rights.models import AccountDeletion, AuditEvent, DeletionReason, RightsRequest
from masterbus.rights.personal import personal_rows, stored_names
from masterbus.rights.rights_requests import rights_request_create
from masterbus.rights.roles import ADMIN
from tests.platform.fixtures import make_user, master_song
from tests.rights.traces import rows_of, stored_files

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def _signed_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def carol(db):
    user = make_user("carol@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_deleting_needs_the_password_and_signs_out_every_session_at_once(carol):
    laptop, phone = _signed_in(carol.email), _signed_in(carol.email)
    _token, secret = token_create(user=carol, name="script")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/v1/jobs", headers=bearer).status_code == 200

    page = laptop.get("/settings/data/delete").content.decode()
    assert "cannot be undone" in page and "signed out on every device" in page
    wrong = laptop.post("/settings/data/delete", {"password": "nope", "confirm": "on"})
    assert "This is not your password." in wrong.content.decode()
    unconfirmed = laptop.post("/settings/data/delete", {"password": PASSWORD})
    assert unconfirmed.status_code == 200 and not AccountDeletion.objects.exists()
    carol.refresh_from_db()
    assert carol.is_active

    done = laptop.post("/settings/data/delete", {"password": PASSWORD, "confirm": "on"})
    assert 'id="account-deleted"' in done.content.decode()
    carol.refresh_from_db()
    assert not carol.is_active and not carol.has_usable_password()
    assert not any(s.get_decoded().get(SESSION_KEY) == str(carol.pk) for s in Session.objects.all())
    for client in (laptop, phone):  # both devices are signed out now
        assert client.get("/settings/data/").status_code == 302
    assert Client().get("/api/v1/jobs", headers=bearer).status_code == 401
    again = Client()
    again.post("/accounts/login/", {"login": carol.email, "password": PASSWORD})
    assert again.get("/settings/data/").status_code == 302  # the account cannot sign in
    assert AccountDeletion.objects.get(user=carol).reason == DeletionReason.USER_REQUEST


def test_the_purge_waits_for_the_window_then_leaves_nothing_of_the_user(
    carol, bob, song_path, settings, caplog
):
    settings.ACCOUNT_PURGE_DAYS = 30
    before = stored_files()
    master_song(Owner(user=carol, guest_key=None), song_path, name="Carol Demo.wav")
    kept = master_song(Owner(user=bob, guest_key=None), song_path, name="Bob Demo.wav")
    export_build(export_id=export_request(user=carol).pk)
    token_create(user=carol, name="script")
    request = rights_request_create(kind="access", message="What do you keep?", email=carol.email)
    staff_event = AuditEvent.objects.create(actor=carol, actor_label=str(carol), action="change")
    mine = {n for rows in personal_rows(carol).values() for row in rows for n in stored_names(row)}
    assert mine and mine <= stored_files()

    assert "mastering.Song.user" in rows_of(carol.pk, carol.email)  # the check sees rows
    account_delete(user=carol)
    assert account_purge_due() == 0  # inside the window: deactivated, not yet purged
    assert Song.objects.filter(user=carol).exists()

    caplog.set_level(logging.INFO, logger="masterbus")
    assert account_purge_due(now=timezone.now() + timedelta(days=31)) == 1
    assert "purged 1 deleted account" in caplog.text
    assert rows_of(carol.pk, carol.email) == []
    assert stored_files() == before | {n for n in stored_files() if kept.song_id.hex in n}
    assert Song.objects.filter(pk=kept.song_id).exists()  # nobody else's data goes
    # Kept for accountability, with the person cut out.
    request.refresh_from_db()
    assert (
        request.user is None and request.email == "" and "What do you keep" not in request.message
    )
    staff_event.refresh_from_db()
    assert staff_event.actor is None and staff_event.actor_label == DELETED
    assert account_purge_due(now=timezone.now() + timedelta(days=31)) == 0  # idempotent


def test_the_periodic_run_purges_at_once_with_a_window_of_zero(carol, settings):
    settings.ACCOUNT_PURGE_DAYS = 0
    account_delete(user=carol)
    assert periodic.run_once()["deleted account purge"] == 1
    assert rows_of(carol.pk, carol.email) == []


def test_purging_a_staff_account_keeps_the_records_of_the_people_they_served(carol, bob):
    """A request carol answered and the audit of it belong to the requester: the purge keeps
    them whole (only carol is cut out), and carol's own request goes anonymised as before."""
    carol.is_staff = True
    carol.save()
    carol.groups.add(Group.objects.get(name=ADMIN))
    theirs = rights_request_create(kind="erasure", message="Erase my remixes", email=bob.email,
                                   user=bob)  # fmt: skip
    own = rights_request_create(kind="access", message="What do you keep?", email=carol.email)
    staff = _signed_in(carol.email)
    answered = staff.post(f"/admin/rights/rightsrequest/{theirs.pk}/change/",
                          {"status": "answered", "staff_note": "done"})  # fmt: skip
    assert answered.status_code == 302
    (event,) = AuditEvent.objects.filter(actor=carol)
    assert not any(row.pk == theirs.pk for row in personal_rows(carol).get(RightsRequest, []))

    account_delete(user=carol)
    assert account_purge_due(now=timezone.now() + timedelta(days=31)) == 1
    assert rows_of(carol.pk, carol.email) == []
    theirs.refresh_from_db()
    assert (theirs.email, theirs.message, theirs.status) == (bob.email, "Erase my remixes",
                                                             "answered")  # fmt: skip
    assert theirs.handled_by is None and theirs.handled_at is not None
    event.refresh_from_db()
    assert event.actor is None and event.actor_label == DELETED
    assert event.object_repr == str(theirs)  # the request still exists: its name stays
    own.refresh_from_db()
    assert own.email == "" and "What do you keep" not in own.message
