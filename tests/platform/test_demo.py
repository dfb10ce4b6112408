"""`masterbus demo`: every loader in DEMO_LOADERS runs; a second run creates nothing new; the
demo listener signs in with the printed password and sees the mastered song."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from masterbus.cli import main
from masterbus.demo.users import DEMO_PASSWORD, DOMAIN
from masterbus.mastering.models import JobStatus, Song

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label not in {"sessions.Session", "django_tasks_db.DBTaskResult"}
    }


def test_demo_twice_makes_the_same_rows_and_the_listener_sees_the_song(settings):
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert f"listener@{DOMAIN}" in printed and DEMO_PASSWORD in printed
    first = _counts()
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert _counts() == first
    assert "mastered" not in again.getvalue()  # nothing was made the second time

    song = Song.objects.get(user__email=f"listener@{DOMAIN}", album=None)
    assert song.jobs.get().status == JobStatus.DONE
    browser = Client()
    signed_in = browser.post(
        "/accounts/login/", {"login": f"listener@{DOMAIN}", "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.content[:500]
    library = browser.get("/songs/")
    assert song.title.encode() in library.content
    assert b"Demo Album" in library.content
    assert browser.get(f"/songs/{song.pk}/").status_code == 200
    notifications = browser.get("/notifications/")
    assert b"Your demo song is mastered" in notifications.content
    support = browser.get("/support/")
    assert b"How do I match a reference track?" in support.content


def test_demo_is_refused_in_production_settings(settings):
    settings.DEBUG = False
    settings.SETTINGS_MODULE = "masterbus.config.settings.production"
    with pytest.raises(CommandError, match="production refuses"):
        call_command("demo", stdout=io.StringIO())
    assert not Song.objects.exists()


def test_the_cli_forwards_demo_to_the_command(monkeypatch):
    called = []
    monkeypatch.setattr("masterbus.config.launcher.manage", lambda argv: called.append(argv) or 0)
    assert main(["demo"]) == 0
    assert called == [["demo"]]
