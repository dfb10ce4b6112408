"""P18: two users and a guest try every URL of each other's songs; none of it works."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import Job, Song
from tests.platform.fixtures import guest_client, make_user, master_song

pytestmark = pytest.mark.django_db(transaction=True)

GUEST_KEY = "z" * 43


def _urls_of(client: Client, job: Job) -> dict[str, list[str]]:
    """Every URL the owner's pages show for the song, plus the app's routes for it."""
    song_page = f"/songs/{job.song_id}/"
    html = client.get(song_page).content.decode()
    files = re.findall(r'(/files/[^"]+)"', html)
    assert len(files) == 6, "the owner must see their own links"
    for link in files:
        response = client.get(link)
        assert response.status_code == 200  # the owner can, so a refusal below means something
        response.close()
    return {
        "get": [song_page, f"{song_page}?v=1", f"/jobs/{job.pk}/status", *files],
        "post": [f"{song_page}remaster", f"{song_page}delete"],
    }


@pytest.fixture
def world(song_path):
    alice, bob = make_user("alice@example.com"), make_user("bob@example.com")
    jobs = {
        "alice": master_song(Owner(user=alice, guest_key=None), song_path, name="alice.wav"),
        "bob": master_song(Owner(user=bob, guest_key=None), song_path, name="bob.wav"),
        "guest": master_song(Owner(user=None, guest_key=GUEST_KEY), song_path, name="g.wav"),
    }
    clients = {"alice": Client(), "bob": Client(), "guest": guest_client(Client(), GUEST_KEY)}
    clients["alice"].force_login(alice)
    clients["bob"].force_login(bob)
    urls = {name: _urls_of(clients[name], job) for name, job in jobs.items()}
    clients["stranger"] = guest_client(Client(), "s" * 43)
    clients["anonymous"] = Client()
    return jobs, clients, urls


def test_nobody_reaches_anything_of_anyone_else(world):
    jobs, clients, urls = world
    tried = 0
    for owner, their_urls in urls.items():
        for visitor, client in clients.items():
            if visitor == owner:
                continue
            for url in their_urls["get"]:
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else b""
                tried += 1
                assert response.status_code in (302, 404), (visitor, url, response.status_code)
                if response.status_code == 302:  # only towards sign-in, never to the content
                    assert response["Location"].startswith("/accounts/login/"), (visitor, url)
                assert not body.startswith((b"RIFF", b"fLaC"))
            for url in their_urls["post"]:
                tried += 1
                assert (
                    client.post(
                        url, {"target": "loud", "style": "warm", "intensity": "10"}
                    ).status_code
                    == 404
                )
    assert tried == 3 * 4 * (9 + 2)
    # Nothing changed hands or disappeared: no version was added, no song was deleted.
    assert Song.objects.count() == 3
    assert sorted(Job.objects.values_list("number", flat=True)) == [1, 1, 1]
    for name, job in jobs.items():
        assert job.song.title == f"{'g' if name == 'guest' else name}.wav"


def test_library_lists_only_the_visitors_own_songs(world):
    _jobs, clients, _urls = world
    seen = {name: clients[name].get("/songs/").content.decode() for name in clients}
    assert "alice.wav" in seen["alice"] and "bob.wav" not in seen["alice"]
    assert "bob.wav" in seen["bob"] and "g.wav" not in seen["bob"]
    assert "g.wav" in seen["guest"] and "alice.wav" not in seen["guest"]
    for name in ("stranger", "anonymous"):
        assert not any(t in seen[name] for t in ("alice.wav", "bob.wav", "g.wav"))
