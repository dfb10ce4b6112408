"""P25 and P33: marketing email only after opt-in, every message with a one-click unsubscribe
that works signed out (RFC 8058 headers, POST without CSRF); the assistant switch."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from masterbus.profiles.models import Profile
from masterbus.profiles.selectors import assistant_allowed, profile_get
from masterbus.profiles.services import marketing_send, profile_set_switches
from masterbus.profiles.tokens import unsubscribe_token
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


def opt_in(client: Client, user, *, marketing: bool = True, assistant: bool = True) -> None:
    client.force_login(user)
    form = {"analytics": "on"}
    if marketing:
        form["marketing"] = "on"
    if assistant:
        form["assistant"] = "on"
    assert client.post("/settings/profile/switches", form).status_code == 302
    client.logout()


def unsubscribe_link(message) -> str:
    (link,) = re.findall(r"http://\S+/profile/unsubscribe/\S+", message.body)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return link.removeprefix("http://127.0.0.1:8000")


def test_marketing_is_off_until_the_user_opts_in(client, alice, bob):
    assert profile_get(alice).marketing_opt_in is False
    make_user("carol@example.com")
    assert marketing_send(subject="News", body="Hello") == 0
    opt_in(client, alice)
    inactive = make_user("gone@example.com")
    opt_in(client, inactive)
    inactive.is_active = False
    inactive.save()
    assert marketing_send(subject="News", body="Hello") == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"] and message.subject == "News"
    assert "Hello" in message.body
    assert Profile.objects.get(user=alice).marketing_opt_in_at is not None  # proof of consent


def test_one_click_unsubscribe_works_signed_out_without_csrf(client, alice):
    opt_in(client, alice)
    marketing_send(subject="News", body="Hello")
    path = unsubscribe_link(mail.outbox[0])
    mail_client = Client(enforce_csrf_checks=True)  # a mail client: no cookies, no token
    confirm = mail_client.get(path)  # a link scanner's GET changes nothing
    assert confirm.status_code == 200 and b'id="unsubscribe-form"' in confirm.content
    assert profile_get(alice).marketing_opt_in is True
    done = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b'id="unsubscribed"' in done.content
    assert profile_get(alice).marketing_opt_in is False
    assert mail_client.post(path).status_code == 200  # again: still fine
    assert marketing_send(subject="More news", body="Hi") == 0


def test_a_forged_token_unsubscribes_nobody(client, alice, bob):
    opt_in(client, alice)
    opt_in(client, bob)
    token = unsubscribe_token(alice.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    other = Client()
    for path in (f"/profile/unsubscribe/{forged}", "/profile/unsubscribe/x"):
        response = other.post(path)
        assert response.status_code == 400 and b"not valid" in response.content
    assert profile_get(alice).marketing_opt_in and profile_get(bob).marketing_opt_in


def test_the_send_command_reaches_only_opted_in_users(client, alice, bob, tmp_path):
    opt_in(client, bob)
    body = tmp_path / "news.txt"
    body.write_text("Our spring release is out.")
    call_command("marketing_send", "--subject", "Spring", "--body-file", str(body))
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    with pytest.raises(CommandError, match="cannot read"):
        call_command("marketing_send", "--subject", "x", "--body-file", str(tmp_path / "no"))


def test_switches_are_shown_and_the_assistant_switch_is_enforced(client, alice):
    assert assistant_allowed(alice) is True  # a fresh account: the defaults
    opt_in(client, alice, marketing=False, assistant=False)
    assert assistant_allowed(alice) is False
    client.force_login(alice)
    page = client.get("/settings/profile/").content.decode()
    assert re.search(r'name="assistant"(?![^>]*checked)', page)
    assert re.search(r'name="analytics"[^>]*checked', page)
    profile_set_switches(user=alice, analytics=True, marketing=False, assistant=True)
    assert assistant_allowed(alice) is True
