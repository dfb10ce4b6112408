"""P34: rights requests from anyone land in a staff queue with the 30-day deadline, are
acknowledged by email, and record who answered them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from masterbus.rights.models import AuditEvent, RightsRequest, RightsRequestStatus
from masterbus.rights.rights_requests import rights_request_remind
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


def _form(client) -> dict:
    html = client.get("/rights/request").content.decode()
    token = html.split('name="captcha" value="')[1].split('"')[0]
    return {"captcha": token}


def test_a_signed_out_visitor_files_a_request_and_gets_an_acknowledgement(client):
    data = {**_form(client), "kind": "erasure", "message": "Please erase me. http://spam.example",
            "email": "dora@example.com"}  # fmt: skip
    response = client.post("/rights/request", data)
    assert response.status_code == 302 and response["Location"] == "/rights/request/sent"
    request = RightsRequest.objects.get()
    assert (request.kind, request.email, request.user) == ("erasure", "dora@example.com", None)
    assert request.due_at == request.created_at + timedelta(days=30)
    (ack,) = mail.outbox
    assert ack.to == ["dora@example.com"]
    assert f"{request.due_at:%d %B %Y}" in ack.body
    assert "spam.example" not in ack.body  # the form cannot relay text to someone else


def test_a_signed_in_user_files_a_request_tied_to_the_account(client, alice):
    client.force_login(alice)
    assert 'value="alice@example.com"' in client.get("/rights/request").content.decode()
    data = {**_form(client), "kind": "correction", "message": "My name is wrong.",
            "email": "alice@example.com"}  # fmt: skip
    client.post("/rights/request", data)
    assert RightsRequest.objects.get().user == alice


def test_a_form_without_the_captcha_or_with_bad_input_is_refused_clearly(client):
    bad = client.post("/rights/request", {"kind": "access", "message": "x", "email": "a@b.c"})
    assert bad.status_code == 200 and "could not be verified" in bad.content.decode()
    wrong = client.post("/rights/request", {**_form(client), "kind": "nonsense", "email": "no"})
    html = wrong.content.decode()
    assert wrong.status_code == 200 and "valid choice" in html and "valid email" in html
    assert not RightsRequest.objects.exists() and not mail.outbox


def test_the_staff_queue_shows_due_dates_flags_overdue_and_records_the_handler(client):
    support = make_user("sam@example.com")
    support.is_staff = True
    support.save()
    support.groups.add(Group.objects.get(name="support"))
    late = RightsRequest.objects.create(kind="access", message="m", email="old@example.com",
                                        created_at=timezone.now() - timedelta(days=31))  # fmt: skip
    fresh = RightsRequest.objects.create(kind="other", message="m", email="new@example.com")
    client.force_login(support)

    html = client.get("/admin/rights/rightsrequest/").content.decode()
    assert f"{late.due_at:%Y-%m-%d} (overdue)" in html
    assert f"{fresh.due_at:%Y-%m-%d}" in html and f"{fresh.due_at:%Y-%m-%d} (overdue)" not in html

    url = f"/admin/rights/rightsrequest/{late.pk}/change/"
    response = client.post(url, {"status": "answered", "staff_note": "Sent the export."})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == RightsRequestStatus.ANSWERED and late.handled_by == support
    assert late.handled_at is not None and not late.is_overdue
    event = AuditEvent.objects.get(object_id=str(late.pk))
    assert (event.actor, event.action) == (support, "change")
    assert set(event.changed_fields) == {"Status", "Staff note"}


def test_staff_are_reminded_daily_of_requests_due_within_a_week(settings):
    settings.RIGHTS_REQUEST_DUE_DAYS, settings.RIGHTS_REQUEST_REMIND_DAYS = 30, 7
    support = make_user("sam@example.com")
    support.is_staff = True
    support.save()
    support.groups.add(Group.objects.get(name="support"))
    make_user("customer@example.com")  # not staff: never told
    now = timezone.now()
    soon = RightsRequest.objects.create(kind="access", message="m", email="a@example.com",
                                        created_at=now - timedelta(days=24))  # fmt: skip
    RightsRequest.objects.create(kind="access", message="m", email="b@example.com",
                                 created_at=now - timedelta(days=10))  # fmt: skip
    RightsRequest.objects.create(kind="other", message="m", email="c@example.com",
                                 created_at=now - timedelta(days=40),
                                 status=RightsRequestStatus.ANSWERED)  # fmt: skip

    assert rights_request_remind(now=now) == 1
    (reminder,) = mail.outbox
    assert reminder.to == ["sam@example.com"]
    assert f"/admin/rights/rightsrequest/{soon.pk}/change/" in reminder.body
    assert rights_request_remind(now=now + timedelta(hours=1)) == 0  # once a day
    assert rights_request_remind(now=now + timedelta(days=1, minutes=1)) == 1
    assert "OVERDUE" not in mail.outbox[-1].body
    assert rights_request_remind(now=now + timedelta(days=7)) == 1
    assert "OVERDUE" in mail.outbox[-1].body
