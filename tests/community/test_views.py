"""The community pages through the test client: posting with a song, hearing it, commenting,
liking, following, blocking, reporting, and a moderator working the queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masterbus.community.models import Comment, Follow, Like, Post, Report, Visibility
from masterbus.community.services.posts import post_create
from masterbus.community.services.social import block_set
from masterbus.rights.models import AuditEvent
from tests.community.conftest import mastered_song

pytestmark = pytest.mark.django_db


def test_a_member_posts_a_song_and_anyone_hears_it(client, alice):
    alice.display_name = "Alice A."
    alice.save()
    job = mastered_song(alice)
    client.force_login(alice)
    page = client.get(reverse("community:feed"))
    assert "Night drive" in page.content.decode()  # offered in the form
    answer = client.post(reverse("community:post_new"), {"text": "Listen!", "song": job.song_id})
    post = Post.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "community:post", args=[post.pk]
    )
    client.logout()
    shown = client.get(reverse("community:feed")).content.decode()
    assert "Listen!" in shown and "Alice A." in shown and "alice@example.com" not in shown
    audio = client.get(
        reverse("community:post_audio", args=[post.pk]), headers={"Range": "bytes=0-3"}
    )
    assert audio.status_code == 206 and b"".join(audio.streaming_content) == b"RIFF"


def test_the_song_is_heard_only_while_the_post_may_be_seen(client, alice, moderator):
    job = mastered_song(alice)
    post = post_create(author=alice, text="", attachment_kind="song", attachment_id=str(job.pk))
    url = reverse("community:post_audio", args=[post.pk])
    assert client.get(url).status_code == 200
    Post.objects.filter(pk=post.pk).update(status=Visibility.HIDDEN)
    assert client.get(url).status_code == 404
    text_only = post_create(author=alice, text="no song")
    assert client.get(reverse("community:post_audio", args=[text_only.pk])).status_code == 404


def test_a_refused_post_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    answer = client.post(reverse("community:post_new"), {"text": "x" * 2001})
    assert answer.status_code == 400
    assert "x" * 2001 in answer.content.decode() and not Post.objects.exists()


def test_comment_like_follow_block_report(client, alice, bob):
    post = post_create(author=alice, text="feedback wanted")
    client.force_login(bob)
    assert (
        client.post(reverse("community:comment"), {"post": post.pk, "text": "great"}).status_code
        == 302
    )
    client.post(
        reverse("community:like"), {"post": post.pk, "liked": "1", "next": "https://evil.example/"}
    )
    assert Like.objects.filter(user=bob).exists() and Comment.objects.filter(author=bob).exists()
    client.post(reverse("community:follow"), {"member": alice.pk, "on": "1"})
    assert Follow.objects.filter(follower=bob, followed=alice).exists()
    assert "feedback wanted" in client.get(reverse("community:following")).content.decode()
    answer = client.post(
        reverse("community:report"), {"post": post.pk, "reason": "spam", "note": "ad"}
    )
    assert answer.status_code == 302 and Report.objects.get().note == "ad"
    block_set(blocker=alice, blocked=bob, on=True)
    refused = client.post(reverse("community:comment"), {"post": post.pk, "text": "again"})
    assert refused.status_code == 400 and "cannot comment" in refused.content.decode()
    client.force_login(alice)
    assert "great" not in client.get(reverse("community:post", args=[post.pk])).content.decode()


def test_nobody_deletes_someone_elses_post(client, alice, bob):
    post = post_create(author=alice, text="stay")
    client.force_login(bob)
    assert client.post(reverse("community:post_delete", args=[post.pk])).status_code == 404
    client.force_login(alice)
    assert client.post(reverse("community:post_delete", args=[post.pk])).status_code == 302
    assert not Post.objects.exists()


def test_the_moderator_hides_a_reported_post_from_the_queue(client, alice, bob, moderator):
    post = post_create(author=alice, text="reported text")
    client.force_login(bob)
    client.post(reverse("community:report"), {"post": post.pk, "reason": "abuse"})
    client.force_login(bob)
    assert client.get(reverse("community:queue")).status_code in (302, 403)
    client.force_login(moderator)
    queue = client.get(reverse("community:queue")).content.decode()
    assert "reported text" in queue and "Harassment or hate" in queue
    client.post(reverse("community:act"), {"post": post.pk, "action": "hide"})
    post.refresh_from_db()
    assert post.status == Visibility.HIDDEN
    assert AuditEvent.objects.filter(actor=moderator, action_name="community: hide post").exists()
    assert "No reports are waiting" in client.get(reverse("community:queue")).content.decode()


def test_staff_without_the_role_cannot_moderate(client, alice, bob):
    post = post_create(author=alice, text="x")
    bob.is_staff = True
    bob.save()
    client.force_login(bob)
    assert client.get(reverse("community:queue")).status_code == 403
    assert (
        client.post(reverse("community:act"), {"post": post.pk, "action": "hide"}).status_code
        == 403
    )


@pytest.mark.parametrize("query", ['"', "NEAR(", "\x00", "*", "a" * 300])
def test_search_page_takes_hostile_queries(client, alice, query):
    post_create(author=alice, text="mix notes")
    assert client.get(reverse("community:search"), {"q": query}).status_code == 200
    assert "mix notes" in client.get(reverse("community:search"), {"q": "mix"}).content.decode()


def test_member_page_shows_the_display_name_only(client, alice):
    post_create(author=alice, text="hello")
    page = client.get(reverse("community:member", args=[alice.pk])).content.decode()
    assert (
        "hello" in page
        and "alice@example.com" not in page
        and "alice" not in page.lower().replace("hello", "")
    )
    assert client.get(reverse("community:member", args=[99999])).status_code == 404


@pytest.mark.parametrize("value", ["²", "١٢", "-1", "0", "9" * 40, "1\x00", ""])
def test_odd_ids_in_forms_are_unknown_not_errors(client, alice, moderator, value):
    post_create(author=alice, text="x")
    client.force_login(alice)
    for name, field in (
        ("comment", "post"),
        ("like", "post"),
        ("report", "post"),
        ("follow", "member"),
    ):
        assert (
            client.post(reverse(f"community:{name}"), {field: value, "text": "t"}).status_code
            == 302
        )
    client.force_login(moderator)
    assert (
        client.post(reverse("community:act"), {"post": value, "action": "hide"}).status_code == 302
    )


def test_the_following_page_lists_whom_one_blocked(client, alice, bob):
    bob.display_name = "Bob B."
    bob.save()
    client.force_login(alice)
    assert "Members you blocked" not in client.get(reverse("community:following")).content.decode()
    block_set(blocker=alice, blocked=bob, on=True)
    page = client.get(reverse("community:following")).content.decode()
    assert "Members you blocked" in page and "Bob B." in page
