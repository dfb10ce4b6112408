"""The community API (token): the same rules as the pages; bad input is 4xx, never 500."""

from __future__ import annotations

import pytest
from django.test import override_settings

from masterbus.api.services import token_create
from masterbus.community.models import Post, Report
from masterbus.community.services.posts import post_create
from masterbus.community.services.social import block_set
from tests.api.conftest import ApiClient
from tests.community.conftest import mastered_song

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


def test_post_with_a_song_then_like_comment_and_read_the_feed(alice, bob):
    job = mastered_song(alice)
    alice_api, bob_api = api_for(alice), api_for(bob)
    made = alice_api.post(
        f"{BASE}/posts",
        {"text": "New one", "attachment_kind": "song", "attachment_id": str(job.song_id)},
    )
    assert made.status_code == 201, made.json()
    post = made.json()
    assert post["attachment"]["audio_url"] == f"/community/posts/{post['id']}/audio"
    assert post["author"] == {"id": alice.pk, "name": f"Member {alice.pk}"}
    liked = bob_api.post(f"{BASE}/likes", {"post_id": post["id"]}).json()
    assert liked["like_count"] == 1 and liked["liked"] is True
    assert (
        bob_api.post(f"{BASE}/comments", {"post_id": post["id"], "text": "wow"}).status_code == 201
    )
    feed = bob_api.get(f"{BASE}/feed").json()
    assert feed["count"] == 1 and feed["items"][0]["comment_count"] == 1
    assert [c["text"] for c in bob_api.get(f"{BASE}/posts/{post['id']}/comments").json()] == ["wow"]
    assert bob_api.post(f"{BASE}/follows", {"member_id": alice.pk}).json()["on"] is True
    assert bob_api.get(f"{BASE}/feed/following").json()["count"] == 1


def test_only_the_author_deletes_and_blocked_members_are_refused(alice, bob):
    post = post_create(author=alice, text="mine")
    bob_api = api_for(bob)
    assert bob_api.delete(f"{BASE}/posts/{post.pk}").status_code == 404
    block_set(blocker=alice, blocked=bob, on=True)
    refused = bob_api.post(f"{BASE}/comments", {"post_id": post.pk, "text": "hi"})
    assert refused.status_code == 400 and refused.json()["code"] == "blocked"
    assert bob_api.post(f"{BASE}/follows", {"member_id": alice.pk}).json()["code"] == "blocked"
    assert api_for(alice).delete(f"{BASE}/posts/{post.pk}").status_code == 204
    assert not Post.objects.exists()


def test_report_and_search(alice, bob):
    post = post_create(author=alice, text="Buy cheap followers now")
    bob_api = api_for(bob)
    made = bob_api.post(f"{BASE}/reports", {"post_id": post.pk, "reason": "spam", "note": "ad"})
    assert made.status_code == 201 and Report.objects.get().reason == "spam"
    assert (
        bob_api.post(f"{BASE}/reports", {"post_id": post.pk, "reason": "nope"}).status_code == 422
    )
    found = bob_api.get(f"{BASE}/search?q=cheap%20followers").json()
    assert [p["id"] for p in found["items"]] == [post.pk]
    for hostile in ("%22", "NEAR(", "%00", "*", "a%20OR%20b"):
        assert bob_api.get(f"{BASE}/search?q={hostile}").status_code == 200
    assert bob_api.get(f"{BASE}/search?q=x&limt=3").status_code == 422


@override_settings(COMMUNITY_RATE_POSTS="1/h")
def test_rate_limit_and_bad_input_are_4xx(alice):
    api = api_for(alice)
    for bad in ("a\x00b", "x" * 2001, "   ", ""):
        assert api.post(f"{BASE}/posts", {"text": bad}).status_code == 422, bad
    foreign = api.post(
        f"{BASE}/posts", {"text": "t", "attachment_kind": "song", "attachment_id": "x"}
    )
    assert foreign.status_code == 404
    assert api.post(f"{BASE}/posts", {"text": "ok"}).status_code == 201
    limited = api.post(f"{BASE}/posts", {"text": "again"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert api.get(f"{BASE}/posts/{2**70}").status_code in (404, 422)
    assert api.post(f"{BASE}/likes", {"post_id": 2**70}).status_code == 422
    assert api.post(f"{BASE}/follows", {"member_id": alice.pk}).status_code == 409  # oneself
